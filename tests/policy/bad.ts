import { exceptionAnnotations } from "../../policy/exceptions";
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
  release,
  subject,
} from "./builders";
import { BadFixture } from "./badPodSecurity";

/* Bad fixtures of the other rules; each names the rule it must trip. */

export const BAD: BadFixture[] = [
  // Secrets by value, whatever the key.
  ...Object.entries(KEYS).flatMap(([format, value]): BadFixture[] => [
    {
      rule: "no-plaintext-secrets",
      name: `${format} in ConfigMap data`,
      subjects: () => [
        configMap({ [format === "randomUnderSecretKey" ? "client_secret" : "settings"]: value }),
      ],
    },
    {
      rule: "no-plaintext-secrets",
      name: `${format} in env`,
      subjects: () => [
        ...context(),
        deployment(
          (d) =>
            void container(d)["env"].push({
              name: format === "randomUnderSecretKey" ? "DB_PASSWORD" : "SETTING",
              value,
            }),
        ),
      ],
    },
    {
      rule: "no-plaintext-secrets",
      name: `${format} in an annotation`,
      subjects: () => [
        configMap(
          {},
          { annotations: { [format === "randomUnderSecretKey" ? "webhook-token" : "note"]: value } },
        ),
      ],
    },
    {
      rule: "no-plaintext-secrets",
      name: `${format} in Helm values`,
      subjects: () => [
        release("app", "apps", {
          config: { [format === "randomUnderSecretKey" ? "apiKey" : "endpoint"]: value },
        }),
      ],
    },
  ]),
  {
    rule: "no-plaintext-secrets",
    name: "token in a label",
    subjects: () => [configMap({}, { labels: { owner: KEYS.aws } })],
  },
  {
    rule: "no-plaintext-secrets",
    name: "key in args",
    subjects: () => [
      ...context(),
      deployment((d) => void container(d)["args"].push(`--api-key=${KEYS.randomUnderSecretKey}`)),
    ],
  },
  {
    rule: "no-plaintext-secrets",
    name: "JWT in command",
    subjects: () => [...context(), deployment((d) => void (container(d)["command"] = ["run", KEYS.jwt]))],
  },
  {
    rule: "no-plaintext-secrets",
    name: "key in a chart-rendered ConfigMap",
    subjects: () => [
      subject(
        "kubernetes:core/v1:ConfigMap",
        {
          kind: "ConfigMap",
          apiVersion: "v1",
          metadata: { name: "c", namespace: "apps" },
          data: { cfg: KEYS.openai },
        },
        { parentType: HELM_V4 },
      ),
    ],
  },
  {
    rule: "no-plaintext-secrets",
    name: "pulumi secret in ConfigMap data",
    subjects: () => [configMap({ upstream: "[secret]" })],
  },
  // Network isolation.
  { rule: "network-isolation", name: "no default-deny", subjects: () => [namespace(), pdb(), deployment()] },
  {
    rule: "network-isolation",
    name: "allow-all does not count",
    subjects: () => [
      namespace(),
      pdb(),
      deployment(),
      networkPolicy("apps", {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [{}],
        egress: [{}],
      }),
    ],
  },
  {
    rule: "network-isolation",
    name: "ingress-only default-deny",
    subjects: () => [
      namespace(),
      pdb(),
      deployment(),
      networkPolicy("apps", { podSelector: {}, policyTypes: ["Ingress"] }),
    ],
  },
  {
    rule: "network-isolation",
    name: "per-workload policy is not a namespace default-deny",
    subjects: () => [
      namespace(),
      pdb(),
      deployment(),
      networkPolicy("apps", { podSelector: { matchLabels: { a: "b" } }, policyTypes: ["Ingress", "Egress"] }),
    ],
  },
  {
    rule: "network-isolation",
    name: "egress allow-all to the world",
    subjects: () => [
      namespace(),
      pdb(),
      deployment(),
      networkPolicy("apps", {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }],
      }),
    ],
  },
  {
    rule: "network-isolation",
    name: "chart namespace without default-deny",
    subjects: () => [namespace("tools"), release("tool", "tools")],
  },
  {
    rule: "egress-world-ports",
    name: "0.0.0.0/0 on every port",
    subjects: () => [
      networkPolicy("apps", {
        podSelector: { matchLabels: { a: "b" } },
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }] }],
      }),
    ],
  },
  {
    rule: "egress-world-ports",
    name: "Cilium world egress on every port",
    subjects: () => [
      subject("kubernetes:cilium.io/v2:CiliumNetworkPolicy", {
        apiVersion: "cilium.io/v2",
        kind: "CiliumNetworkPolicy",
        metadata: { name: "p", namespace: "apps" },
        spec: { endpointSelector: {}, egress: [{ toEntities: ["world"] }] },
      }),
    ],
  },
  // Availability.
  {
    rule: "replicated-workload-pdb",
    name: "two replicas without a PDB",
    subjects: () => [namespace(), networkPolicy(), deployment()],
  },
  {
    rule: "replicated-workload-pdb",
    name: "PDB selecting other pods",
    subjects: () => [namespace(), networkPolicy(), deployment(), pdb({ "app.kubernetes.io/name": "api" })],
  },
  {
    rule: "replicated-workload-pdb",
    name: "PDB in another namespace",
    subjects: () => [namespace(), networkPolicy(), deployment(), pdb(undefined, "other")],
  },
  {
    rule: "replicated-workload-pdb",
    name: "HPA minReplicas 2 without a PDB",
    subjects: () => [
      namespace(),
      networkPolicy(),
      deployment((d) => void delete d["spec"]["replicas"]),
      subject("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", {
        kind: "HorizontalPodAutoscaler",
        apiVersion: "autoscaling/v2",
        metadata: { name: "web", namespace: "apps" },
        spec: {
          minReplicas: 2,
          maxReplicas: 5,
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        },
      }),
    ],
  },
  {
    rule: "replicated-workload-pdb",
    name: "KEDA ScaledObject without a PDB",
    subjects: () => [
      namespace(),
      networkPolicy(),
      deployment((d) => void (d["spec"]["replicas"] = 1)),
      subject("kubernetes:keda.sh/v1alpha1:ScaledObject", {
        kind: "ScaledObject",
        apiVersion: "keda.sh/v1alpha1",
        metadata: { name: "web", namespace: "apps" },
        spec: { scaleTargetRef: { name: "web" } },
      }),
    ],
  },
  // Images.
  ...[
    "web:latest",
    "web",
    "web:",
    "web:main",
    "web:master",
    "web:stable",
    "web@sha256:abc",
    `web@sha256:${"A".repeat(64)}`,
    `web@sha512:${"a".repeat(128)}`,
  ].map((image): BadFixture => ({
    rule: "pinned-images",
    name: `image ${image.slice(0, 20)}`,
    subjects: () => [
      ...context(),
      deployment((d) => void (container(d)["image"] = `ghcr.io/example/${image}`)),
    ],
  })),
  {
    rule: "pinned-images",
    name: "latest in Helm values",
    subjects: () => [release("app", "apps", { image: { repository: "ghcr.io/x/app", tag: "latest" } })],
  },
  {
    rule: "pinned-images",
    name: "malformed digest in Helm values",
    subjects: () => [
      release("app", "apps", {
        controller: { image: { repository: "ghcr.io/x/app", digest: "sha256:123" } },
      }),
    ],
  },
  // RBAC.
  ...(["verbs", "resources", "apiGroups"] as const).map((field): BadFixture => ({
    rule: "rbac-wildcards",
    name: `* in ${field}`,
    subjects: () => [clusterRole([{ apiGroups: [""], resources: ["pods"], verbs: ["get"], [field]: ["*"] }])],
  })),
  {
    rule: "rbac-wildcards",
    name: "* in nonResourceURLs",
    subjects: () => [clusterRole([{ nonResourceURLs: ["*"], verbs: ["get"] }])],
  },
  {
    rule: "rbac-wildcards",
    name: "subresource wildcard",
    subjects: () => [clusterRole([{ apiGroups: ["apps"], resources: ["*/scale"], verbs: ["get"] }])],
  },
  {
    rule: "rbac-wildcards",
    name: "chart-rendered ClusterRole */*/*",
    subjects: () => [
      namespace("kagent"),
      subject(
        HELM_V4,
        { chart: "oci://x/kagent-tools", name: "kagent-tools", namespace: "kagent" },
        { name: "kagent-tools" },
      ),
      clusterRole([{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }], {
        parentType: HELM_V4,
        labels: { "app.kubernetes.io/instance": "kagent-tools" },
      }),
    ],
  },
  {
    rule: "rbac-wildcards",
    name: "chart-rendered cluster-admin even where the namespace accepts the chart's wildcards",
    subjects: () => [
      namespace("kagent", "restricted", exceptionAnnotations({ rbacWildcards: "getter and writer roles" })),
      subject(HELM_V4, { chart: "oci://x/kagent", name: "kagent", namespace: "kagent" }, { name: "kagent" }),
      clusterRole([{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }], {
        parentType: HELM_V4,
        labels: { "app.kubernetes.io/instance": "kagent" },
      }),
    ],
  },
  {
    rule: "rbac-wildcards",
    name: "kagent values that leave kagent-tools cluster-admin, exception or not",
    subjects: () => [
      namespace("kagent", "restricted", exceptionAnnotations({ rbacWildcards: "getter and writer roles" })),
      subject(
        HELM_V4,
        {
          chart: "oci://x/kagent",
          name: "kagent",
          namespace: "kagent",
          values: { "kagent-tools": { enabled: true } },
        },
        { name: "kagent" },
      ),
    ],
  },
  {
    rule: "rbac-wildcards",
    name: "kagent chart without an RBAC exception",
    subjects: () => [
      namespace("kagent"),
      subject(
        HELM_V4,
        {
          chart: "oci://x/kagent",
          name: "kagent",
          namespace: "kagent",
          values: { "kagent-tools": { enabled: false } },
        },
        { name: "kagent" },
      ),
    ],
  },
  {
    rule: "rbac-wildcards",
    name: "Longhorn release without an exception",
    subjects: () => [release("longhorn", "longhorn-system")],
  },
  {
    rule: "rbac-wildcards",
    name: "collector clusterRole.rules wildcard",
    subjects: () => [
      release("opentelemetry-collector", "obs", {
        clusterRole: { create: true, rules: [{ apiGroups: [""], resources: ["*"], verbs: ["get"] }] },
      }),
    ],
  },
  {
    rule: "rbac-wildcards",
    name: "Role inside a yaml/v2 ConfigFile",
    subjects: () => [
      subject(
        "kubernetes:rbac.authorization.k8s.io/v1:Role",
        {
          kind: "Role",
          apiVersion: "rbac.authorization.k8s.io/v1",
          metadata: { name: "r", namespace: "apps" },
          rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["*"] }],
        },
        { parentType: "kubernetes:yaml/v2:ConfigFile" },
      ),
    ],
  },
  // Resources, labels, protection.
  {
    rule: "container-resources",
    name: "missing limits",
    subjects: () => [
      ...context(),
      deployment((d) => void (container(d)["resources"] = { requests: { cpu: "10m", memory: "16Mi" } })),
    ],
  },
  {
    rule: "required-labels",
    name: "missing labels",
    subjects: () => [...context(), deployment((d) => void (d["metadata"]["labels"] = {}))],
  },
  {
    rule: "protect-stateful",
    name: "unprotected Talos secrets",
    subjects: () => [subject("talos:machine/secrets:Secrets", {}, { name: "s" })],
  },
  {
    rule: "protect-stateful",
    name: "unprotected PVC",
    subjects: () => [
      subject("kubernetes:core/v1:PersistentVolumeClaim", {
        kind: "PersistentVolumeClaim",
        apiVersion: "v1",
        metadata: { name: "d", namespace: "apps" },
      }),
    ],
  },
];
