import { exceptionAnnotations } from "../../policy/exceptions";
import type { PolicySubject } from "../../policy/rules";
import {
  clusterRole,
  configMap,
  container,
  context,
  deployment,
  HELM_V4,
  KEYS,
  namespace,
  networkPolicy,
  pdb,
  pod,
  release,
  sc,
  subject,
} from "./builders";

/* Good fixtures: each passes the whole pack. */

export interface GoodFixture {
  name: string;
  subjects: () => PolicySubject[];
}

export const GOOD: GoodFixture[] = [
  {
    name: "hardened, labelled, replicated Deployment in an isolated restricted namespace",
    subjects: () => [...context(), deployment()],
  },
  {
    name: "user-namespace pod may leave runAsNonRoot to the user namespace",
    subjects: () => [
      ...context(),
      deployment((d) => {
        pod(d)["hostUsers"] = false;
        delete pod(d)["securityContext"]["runAsNonRoot"];
        delete sc(d)["runAsNonRoot"];
      }),
    ],
  },
  {
    name: "Localhost seccomp, image volume and safe sysctls",
    subjects: () => [
      ...context(),
      deployment((d) => {
        pod(d)["securityContext"]["seccompProfile"] = { type: "Localhost", localhostProfile: "p.json" };
        pod(d)["volumes"].push({ name: "model", image: { reference: "ghcr.io/x/model:1" } });
        pod(d)["securityContext"]["sysctls"].push({ name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" });
      }),
    ],
  },
  {
    name: "baseline namespace with a matching exception runs a pod that is only baseline",
    subjects: () => [
      namespace(
        "apps",
        "baseline",
        exceptionAnnotations({ podSecurity: { level: "baseline", reason: "proxies" } }),
      ),
      networkPolicy(),
      pdb(),
      deployment((d) => {
        delete sc(d)["allowPrivilegeEscalation"];
        sc(d)["capabilities"] = { add: ["CHOWN"] };
      }),
    ],
  },
  {
    name: "privileged namespace with a matching exception runs a privileged chart and pod",
    subjects: () => [
      namespace(
        "longhorn-system",
        "privileged",
        exceptionAnnotations({
          podSecurity: { level: "privileged", reason: "host storage" },
          networkPolicy: "host traffic",
          rbacWildcards: "chart role",
        }),
      ),
      release("longhorn", "longhorn-system"),
    ],
  },
  {
    name: "kube-system is a built-in exception for Cilium",
    subjects: () => [
      release("cilium", "kube-system", { securityContext: { capabilities: { ciliumAgent: ["NET_ADMIN"] } } }),
    ],
  },
  {
    name: "chart-rendered objects are judged for security only (no labels, resources or PDB demanded)",
    subjects: () => [
      ...context().slice(0, 2),
      deployment(
        (d) => {
          d["metadata"]["labels"] = {};
          delete container(d)["resources"];
        },
        { parentType: HELM_V4 },
      ),
    ],
  },
  {
    name: "CRDs inside an upstream yaml/v2 bundle",
    subjects: () => [
      subject(
        "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
        {
          kind: "CustomResourceDefinition",
          apiVersion: "apiextensions.k8s.io/v1",
          metadata: { name: "gateways.gateway.networking.k8s.io" },
          spec: {},
        },
        { parentType: "kubernetes:yaml/v2:ConfigFile" },
      ),
    ],
  },
  {
    name: "plain configuration and references to secrets",
    subjects: () => [
      configMap(
        {
          "config.yaml": "level: info\n",
          endpoint: "http://collector:4317",
          auth: "Basic ${env:LANGFUSE_AUTH}",
          id: "3f2b9c1e-8a4d-4e6f-9b7a-1c2d3e4f5a6b",
        },
        { annotations: { "checksum/config": "0f343b0931126a20f133d67c2b018a3b" } },
      ),
    ],
  },
  {
    name: "secrets in a Secret and pulumi secrets in Helm values",
    subjects: () => [
      ...context(),
      subject("kubernetes:core/v1:Secret", {
        kind: "Secret",
        apiVersion: "v1",
        metadata: { name: "s", namespace: "apps" },
        stringData: { token: KEYS.github },
      }),
      release("app", "apps", { password: "[secret]", image: { repository: "ghcr.io/x/app", tag: "1.2.3" } }),
    ],
  },
  {
    name: "namespace exception instead of a default-deny",
    subjects: () => [
      namespace(
        "apps",
        "restricted",
        exceptionAnnotations({ networkPolicy: "controller needs the API server" }),
      ),
      pdb(),
      deployment(),
    ],
  },
  {
    name: "separate ingress and egress default-deny policies",
    subjects: () => [
      namespace(),
      pdb(),
      deployment(),
      networkPolicy("apps", { podSelector: {}, policyTypes: ["Ingress"] }),
      networkPolicy("apps", {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }],
      }),
    ],
  },
  {
    name: "HPA minReplicas 1 needs no PDB",
    subjects: () => [
      namespace(),
      networkPolicy(),
      deployment((d) => void (d["spec"]["replicas"] = 1)),
      subject("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", {
        kind: "HorizontalPodAutoscaler",
        apiVersion: "autoscaling/v2",
        metadata: { name: "web", namespace: "apps" },
        spec: { maxReplicas: 3, scaleTargetRef: { kind: "Deployment", name: "web" } },
      }),
    ],
  },
  {
    name: "digest-pinned image",
    subjects: () => [
      ...context(),
      deployment((d) => void (container(d)["image"] = `ghcr.io/x/web:latest@sha256:${"a".repeat(64)}`)),
    ],
  },
  {
    name: "ClusterRole that declares its wildcards",
    subjects: () => [
      clusterRole([{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }], {
        annotations: exceptionAnnotations({ rbacWildcards: "break-glass role bound to nobody" }),
      }),
    ],
  },
  {
    name: "kagent with read-only tools, and its chart's narrowing roles, where the namespace accepts them",
    subjects: () => [
      namespace(
        "kagent",
        "restricted",
        exceptionAnnotations({ rbacWildcards: "getter and writer roles", networkPolicy: "chart pods" }),
      ),
      subject(
        HELM_V4,
        {
          chart: "oci://x/kagent",
          name: "kagent",
          namespace: "kagent",
          values: {
            rbac: { namespaces: ["kagent"] },
            "kagent-tools": { enabled: true, rbac: { readOnly: true } },
          },
        },
        { name: "kagent" },
      ),
      clusterRole([{ apiGroups: [""], resources: ["*"], verbs: ["get", "list", "watch"] }], {
        parentType: HELM_V4,
        labels: { "app.kubernetes.io/instance": "kagent" },
      }),
    ],
  },
  {
    name: "narrow ClusterRole",
    subjects: () => [clusterRole([{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }])],
  },
  {
    name: "protected Talos secrets and storage",
    subjects: () => [subject("talos:machine/secrets:Secrets", {}, { name: "s", protect: true })],
  },
];
