import { exceptionAnnotations, RBAC_PRIVILEGE_EXCEPTION } from "../../policy/exceptions";
import type { PolicySubject } from "../../policy/rules";
import type { BadFixture } from "./badPodSecurity";
import { clusterRole, HELM_V4, namespace, Obj, subject } from "./builders";
import type { GoodFixture } from "./good";

/* rbac-privileges: twins of good and bad fixtures. */

const RBAC = "rbac.authorization.k8s.io/v1";

function binding(
  kind: "RoleBinding" | "ClusterRoleBinding",
  roleRef: Obj,
  subjects: Obj[],
  opts: { annotations?: Obj; parentType?: string } = {},
): PolicySubject {
  return subject(
    `kubernetes:${RBAC.replace("/v1", "")}/v1:${kind}`,
    {
      apiVersion: RBAC,
      kind,
      metadata: {
        name: "b",
        ...(kind === "RoleBinding" ? { namespace: "apps" } : {}),
        annotations: opts.annotations ?? {},
      },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
      subjects,
    },
    { parentType: opts.parentType },
  );
}

const sa = { kind: "ServiceAccount", name: "web", namespace: "apps" };
const readSecrets = { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] };
const reader = { kind: "ClusterRole", name: "reader" };

const kagentChart = (values: Obj): PolicySubject =>
  subject(
    HELM_V4,
    { chart: "oci://x/kagent", name: "kagent", namespace: "kagent", values },
    { name: "kagent" },
  );

export const RBAC_GOOD: GoodFixture[] = [
  {
    name: "a ClusterRole reading Secrets bound in one namespace only, and one Secret by name cluster-wide",
    subjects: () => [
      clusterRole([readSecrets]),
      binding("RoleBinding", reader, [sa]),
      subject(`kubernetes:rbac.authorization.k8s.io/v1:ClusterRole`, {
        apiVersion: RBAC,
        kind: "ClusterRole",
        metadata: { name: "one-secret" },
        rules: [{ ...readSecrets, resourceNames: ["ca-bundle"] }],
      }),
      binding("ClusterRoleBinding", { kind: "ClusterRole", name: "one-secret" }, [sa]),
    ],
  },
  {
    name: "bindings to named groups and service accounts; a declared reason for a cluster-wide read",
    subjects: () => [
      binding("RoleBinding", { kind: "Role", name: "tenant-admin" }, [
        { kind: "Group", name: "team-admins" },
      ]),
      clusterRole([readSecrets], {
        annotations: { [RBAC_PRIVILEGE_EXCEPTION]: "the secrets-store controller syncs Secrets everywhere" },
      }),
      binding("ClusterRoleBinding", reader, [sa]),
    ],
  },
  {
    name: "kagent with namespaced RBAC and read-only tools",
    subjects: () => [
      namespace(
        "kagent",
        "restricted",
        exceptionAnnotations({ networkPolicy: "chart pods", rbacWildcards: "getter and writer roles" }),
      ),
      kagentChart({
        rbac: { namespaces: ["kagent"] },
        "kagent-tools": { enabled: true, rbac: { readOnly: true } },
      }),
    ],
  },
];

export const RBAC_BAD: BadFixture[] = [
  ...(
    [
      ["system:anonymous", { kind: "User", name: "system:anonymous" }],
      ["system:unauthenticated", { kind: "Group", name: "system:unauthenticated" }],
      ["system:authenticated", { kind: "Group", name: "system:authenticated" }],
      ["all service accounts", { kind: "Group", name: "system:serviceaccounts" }],
      ["a namespace's service accounts", { kind: "Group", name: "system:serviceaccounts:apps" }],
    ] as const
  ).map(([who, s]): BadFixture => ({
    rule: "rbac-privileges",
    name: `a binding to ${who}`,
    subjects: () => [binding("RoleBinding", { kind: "Role", name: "viewer" }, [s])],
  })),
  {
    rule: "rbac-privileges",
    name: "cluster-admin through a RoleBinding",
    subjects: () => [binding("RoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, [sa])],
  },
  ...["escalate", "bind", "impersonate"].map((verb): BadFixture => ({
    rule: "rbac-privileges",
    name: `a role granting ${verb}`,
    subjects: () => [
      clusterRole([{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: [verb] }]),
    ],
  })),
  {
    rule: "rbac-privileges",
    name: "nodes/proxy",
    subjects: () => [clusterRole([{ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }])],
  },
  {
    rule: "rbac-privileges",
    name: "a ClusterRole reading Secrets bound cluster-wide",
    subjects: () => [clusterRole([readSecrets]), binding("ClusterRoleBinding", reader, [sa])],
  },
  {
    rule: "rbac-privileges",
    name: "a chart-rendered ClusterRole reading every core resource, bound cluster-wide",
    subjects: () => [
      clusterRole([{ apiGroups: [""], resources: ["*"], verbs: ["get", "list", "watch"] }], {
        parentType: HELM_V4,
      }),
      binding("ClusterRoleBinding", reader, [sa], { parentType: HELM_V4 }),
    ],
  },
  {
    rule: "rbac-privileges",
    name: "kagent values that leave the getter role cluster-wide",
    subjects: () => [kagentChart({ "kagent-tools": { enabled: false } })],
  },
  {
    rule: "rbac-privileges",
    name: "collector values that read Secrets cluster-wide",
    subjects: () => [
      subject(HELM_V4, {
        chart: "opentelemetry-collector",
        name: "otel",
        namespace: "observability",
        values: { clusterRole: { create: true, rules: [readSecrets] } },
      }),
    ],
  },
];
