import * as k8s from "@pulumi/kubernetes";
import { strict as assert } from "assert";
import { ENFORCEMENT_ENV, enforcementLevelFrom, packArgs, platformPolicies } from "../policy/pack";
import { subjectsOfRecording } from "../policy/recorded";
import { exceptionAnnotations } from "../policy/exceptions";
import {
  credentialFormat,
  evaluate,
  isPinnedImage,
  PolicySubject,
  RESOURCE_RULES,
  STACK_RULES,
} from "../policy/rules";
import { runPack } from "./policyPack";
import { recordedStack, recordProgram } from "./support/record";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STACK_URN = "urn:pulumi:test::ai-platform::";
const HELM_V4 = "kubernetes:helm.sh/v4:Chart";

export function subject(
  type: string,
  props: Obj,
  opts: { name?: string; protect?: boolean; parentType?: string } = {},
): PolicySubject {
  const name = opts.name ?? String(props["metadata"]?.["name"] ?? "r");
  const qualified = opts.parentType === undefined ? type : `${opts.parentType}$${type}`;
  return { urn: `${STACK_URN}${qualified}::${name}`, type, name, props, protect: opts.protect ?? false };
}

const labels = {
  "app.kubernetes.io/name": "web",
  "app.kubernetes.io/instance": "web",
  "app.kubernetes.io/managed-by": "pulumi",
};

function goodContainer(): Obj {
  return {
    name: "web",
    image: "ghcr.io/example/web:1.2.3",
    args: ["--port=8080", "--config=/etc/web/config.yaml"],
    env: [
      { name: "LOG_LEVEL", value: "info" },
      { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "web", key: "token" } } },
      { name: "TOKEN_FILE", value: "/var/run/secrets/token" },
      { name: "UPSTREAM", value: "https://api.example.com/v1" },
    ],
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    ports: [{ containerPort: 8080 }],
    readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

function deployment(
  mutate: (d: Obj) => void = () => undefined,
  opts: { parentType?: string } = {},
): PolicySubject {
  const d: Obj = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "apps", labels: { ...labels } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" } },
      template: {
        metadata: { labels: { ...labels }, annotations: { "prometheus.io/scrape": "true" } },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            seccompProfile: { type: "RuntimeDefault" },
            appArmorProfile: { type: "RuntimeDefault" },
            sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
          },
          volumes: [
            { name: "tmp", emptyDir: {} },
            { name: "config", configMap: { name: "web" } },
            { name: "token", projected: { sources: [] } },
          ],
          containers: [goodContainer()],
        },
      },
    },
  };
  mutate(d);
  return subject("kubernetes:apps/v1:Deployment", d, opts);
}

const pod = (d: Obj): Obj => d["spec"]["template"]["spec"];
const container = (d: Obj): Obj => pod(d)["containers"][0];
const sc = (d: Obj): Obj => container(d)["securityContext"];

function namespace(
  name = "apps",
  level = "restricted",
  annotations: Record<string, string> = {},
): PolicySubject {
  return subject("kubernetes:core/v1:Namespace", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, annotations, labels: { "pod-security.kubernetes.io/enforce": level } },
  });
}

function networkPolicy(
  ns = "apps",
  spec: Obj = { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
): PolicySubject {
  return subject("kubernetes:networking.k8s.io/v1:NetworkPolicy", {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny", namespace: ns },
    spec,
  });
}

function pdb(matchLabels: Obj = { "app.kubernetes.io/name": "web" }, ns = "apps"): PolicySubject {
  return subject("kubernetes:policy/v1:PodDisruptionBudget", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "web", namespace: ns },
    spec: { minAvailable: 1, selector: { matchLabels } },
  });
}

function configMap(data: Obj, metadata: Obj = {}): PolicySubject {
  return subject("kubernetes:core/v1:ConfigMap", {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "cfg", namespace: "apps", ...metadata },
    data,
  });
}

function release(chart: string, ns: string, values: Obj = {}): PolicySubject {
  return subject(
    "kubernetes:helm.sh/v3:Release",
    { chart, name: chart, namespace: ns, version: "1.0.0", values },
    { name: `${chart}-release` },
  );
}

function clusterRole(
  rules: Obj[],
  opts: { annotations?: Obj; labels?: Obj; parentType?: string } = {},
): PolicySubject {
  return subject(
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "reader", annotations: opts.annotations ?? {}, labels: opts.labels ?? {} },
      rules,
    },
    { parentType: opts.parentType },
  );
}

/** The namespace around `deployment()`: restricted label, default-deny, and a PDB for its two replicas. */
const context = (): PolicySubject[] => [namespace(), networkPolicy(), pdb()];

const KEYS = {
  openai: `sk-proj-${"Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF"}`,
  anthropic: `sk-ant-api03-${"x".repeat(8)}${"Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF"}`,
  xai: `xai-${"Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF"}`,
  github: `ghp_${"Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF1234"}`,
  slack: `xoxb-1234567890-${"Ab3dE5gH7jK9mN1p"}`,
  aws: `AKIA${"IOSFODNN7EXAMPLE"}`,
  cloudflareTunnel: Buffer.from(
    JSON.stringify({ a: "0123456789abcdef", t: "4e3c-tunnel-id-aaaa", s: "c2VjcmV0LXNlY3JldC1zZWNyZXQ=" }),
  ).toString("base64"),
  jwt: `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${"dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}`,
  pem: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
  urlCredentials: "postgres://kagent:hunter2hunter2@db.kagent.svc:5432/kagent",
  randomUnderSecretKey: "q8Zr2Lx9Vt4Nw7Kp3Hs6Jd1Fg5",
};

interface BadFixture {
  /** The rule the fixture must trip. */
  rule: string;
  name: string;
  subjects: () => PolicySubject[];
}

const podSecurityBad: Array<[string, (d: Obj) => void]> = [
  // Baseline controls (kubernetes/pod-security-admission policy/check_*.go).
  ["hostProcess", (d) => void (pod(d)["securityContext"]["windowsOptions"] = { hostProcess: true })],
  ["hostNetwork", (d) => void (pod(d)["hostNetwork"] = true)],
  ["hostPID", (d) => void (pod(d)["hostPID"] = true)],
  ["hostIPC", (d) => void (pod(d)["hostIPC"] = true)],
  ["privileged", (d) => void (sc(d)["privileged"] = true)],
  ["capabilities beyond baseline", (d) => void (sc(d)["capabilities"]["add"] = ["SYS_ADMIN"])],
  ["hostPath volume", (d) => void pod(d)["volumes"].push({ name: "root", hostPath: { path: "/" } })],
  ["hostPort", (d) => void (container(d)["ports"] = [{ containerPort: 80, hostPort: 80 }])],
  [
    "AppArmor unconfined (pod)",
    (d) => void (pod(d)["securityContext"]["appArmorProfile"] = { type: "Unconfined" }),
  ],
  ["AppArmor unconfined (container)", (d) => void (sc(d)["appArmorProfile"] = { type: "Unconfined" })],
  [
    "AppArmor annotation",
    (d) =>
      void (d["spec"]["template"]["metadata"]["annotations"][
        "container.apparmor.security.beta.kubernetes.io/web"
      ] = "unconfined"),
  ],
  ["SELinux type", (d) => void (sc(d)["seLinuxOptions"] = { type: "spc_t" })],
  ["SELinux user", (d) => void (pod(d)["securityContext"]["seLinuxOptions"] = { user: "system_u" })],
  ["SELinux role", (d) => void (sc(d)["seLinuxOptions"] = { role: "system_r" })],
  ["procMount Unmasked", (d) => void (sc(d)["procMount"] = "Unmasked")],
  [
    "procMount Unmasked in a user namespace (restricted)",
    (d) => {
      pod(d)["hostUsers"] = false;
      sc(d)["procMount"] = "Unmasked";
    },
  ],
  ["seccomp Unconfined (container)", (d) => void (sc(d)["seccompProfile"] = { type: "Unconfined" })],
  [
    "unsafe sysctl",
    (d) => void pod(d)["securityContext"]["sysctls"].push({ name: "kernel.msgmax", value: "1" }),
  ],
  [
    "1.37-only sysctl",
    (d) => void pod(d)["securityContext"]["sysctls"].push({ name: "net.ipv4.tcp_notsent_lowat", value: "1" }),
  ],
  ["probe host", (d) => void (container(d)["readinessProbe"]["httpGet"]["host"] = "10.0.0.1")],
  [
    "lifecycle host",
    (d) => void (container(d)["lifecycle"] = { preStop: { tcpSocket: { host: "10.0.0.1", port: 1 } } }),
  ],
  // Restricted controls.
  ["nfs volume", (d) => void pod(d)["volumes"].push({ name: "share", nfs: { server: "nas", path: "/" } })],
  ["gitRepo volume", (d) => void pod(d)["volumes"].push({ name: "src", gitRepo: { repository: "x" } })],
  ["allowPrivilegeEscalation unset", (d) => void delete sc(d)["allowPrivilegeEscalation"]],
  [
    "runAsNonRoot unset",
    (d) => {
      delete sc(d)["runAsNonRoot"];
      delete pod(d)["securityContext"]["runAsNonRoot"];
    },
  ],
  ["runAsNonRoot false in the container", (d) => void (sc(d)["runAsNonRoot"] = false)],
  ["runAsUser 0 (pod)", (d) => void (pod(d)["securityContext"]["runAsUser"] = 0)],
  [
    "runAsUser 0 (init container)",
    (d) => {
      pod(d)["initContainers"] = [
        {
          ...goodContainer(),
          name: "init",
          securityContext: { ...goodContainer()["securityContext"], runAsUser: 0 },
        },
      ];
    },
  ],
  [
    "no seccomp profile",
    (d) => {
      delete pod(d)["securityContext"]["seccompProfile"];
      delete sc(d)["seccompProfile"];
    },
  ],
  ["capabilities not dropped", (d) => void (sc(d)["capabilities"] = {})],
  ["baseline capability added", (d) => void (sc(d)["capabilities"]["add"] = ["CHOWN"])],
  ["writable root filesystem (platform)", (d) => void (sc(d)["readOnlyRootFilesystem"] = false)],
  ["CronJob template", () => undefined],
];

const BAD: BadFixture[] = [
  ...podSecurityBad.map(([name, mutate]): BadFixture => ({
    rule: "pod-security",
    name,
    subjects: () =>
      name === "CronJob template"
        ? [
            ...context(),
            subject("kubernetes:batch/v1:CronJob", {
              apiVersion: "batch/v1",
              kind: "CronJob",
              metadata: { name: "nightly", namespace: "apps", labels },
              spec: {
                schedule: "@daily",
                jobTemplate: {
                  spec: {
                    template: {
                      metadata: { labels },
                      spec: { containers: [{ ...goodContainer(), securityContext: {} }] },
                    },
                  },
                },
              },
            }),
          ]
        : [...context(), deployment(mutate)],
  })),
  {
    rule: "pod-security",
    name: "baseline control in a baseline namespace",
    subjects: () => [
      namespace(
        "apps",
        "baseline",
        exceptionAnnotations({ podSecurity: { level: "baseline", reason: "r" } }),
      ),
      networkPolicy(),
      pdb(),
      deployment((d) => void (sc(d)["privileged"] = true)),
    ],
  },
  {
    rule: "pod-security",
    name: "restricted control when the exception does not match the label",
    subjects: () => [
      namespace(
        "apps",
        "restricted",
        exceptionAnnotations({ podSecurity: { level: "baseline", reason: "r" } }),
      ),
      networkPolicy(),
      pdb(),
      deployment((d) => void delete sc(d)["allowPrivilegeEscalation"]),
    ],
  },
  {
    rule: "pod-security",
    name: "chart-rendered pod in a restricted namespace",
    subjects: () => [
      ...context(),
      deployment((d) => void (pod(d)["hostNetwork"] = true), { parentType: HELM_V4 }),
    ],
  },
  {
    rule: "pod-security",
    name: "pod inside a yaml/v2 ConfigGroup",
    subjects: () => [
      ...context(),
      deployment((d) => void (sc(d)["privileged"] = true), { parentType: "kubernetes:yaml/v2:ConfigGroup" }),
    ],
  },
  {
    rule: "pod-security",
    name: "privileged chart without a privileged namespace",
    subjects: () => [namespace("longhorn-system", "restricted"), release("longhorn", "longhorn-system")],
  },
  {
    rule: "namespace-pod-security",
    name: "privileged label without an exception",
    subjects: () => [namespace("storage", "privileged")],
  },
  {
    rule: "namespace-pod-security",
    name: "baseline label without an exception",
    subjects: () => [namespace("apps", "baseline")],
  },
  {
    rule: "namespace-pod-security",
    name: "exception level differs from the label",
    subjects: () => [
      namespace(
        "storage",
        "privileged",
        exceptionAnnotations({ podSecurity: { level: "baseline", reason: "r" } }),
      ),
    ],
  },
  {
    rule: "namespace-pod-security",
    name: "malformed exception",
    subjects: () => [
      namespace("storage", "privileged", { "policy.ai-platform.dev/pod-security-exception": "because" }),
    ],
  },
  {
    rule: "namespace-pod-security",
    name: "no enforce label",
    subjects: () => [
      subject("kubernetes:core/v1:Namespace", {
        kind: "Namespace",
        apiVersion: "v1",
        metadata: { name: "bare" },
      }),
    ],
  },
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

interface GoodFixture {
  name: string;
  subjects: () => PolicySubject[];
}

const GOOD: GoodFixture[] = [
  {
    name: "hardened, labelled, replicated Deployment in an isolated restricted namespace",
    subjects: context().length > 0 ? () => [...context(), deployment()] : () => [],
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
    name: "HPA minReplicas 1, or with a PDB",
    subjects: () => [
      ...context(),
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
    name: "narrow ClusterRole",
    subjects: () => [clusterRole([{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }])],
  },
  {
    name: "protected Talos secrets and storage",
    subjects: () => [subject("talos:machine/secrets:Secrets", {}, { name: "s", protect: true })],
  },
];

describe("policy: fixtures through the pack (as `pulumi preview --policy-pack` calls it)", () => {
  for (const f of GOOD)
    it(`passes: ${f.name}`, async () => {
      assert.deepEqual(await runPack(f.subjects()), []);
    });
  for (const f of BAD)
    it(`${f.rule} trips: ${f.name}`, async () => {
      const reported = await runPack(f.subjects());
      assert.ok(
        reported.some((r) => r.policy === f.rule),
        `expected ${f.rule}, got ${JSON.stringify(reported.map((r) => `${r.policy}: ${r.message}`))}`,
      );
    });

  it("every rule has a bad fixture", () => {
    const rules = [...RESOURCE_RULES, ...STACK_RULES].map((r) => r.name);
    assert.deepEqual(
      rules.filter((r) => !BAD.some((f) => f.rule === r)),
      [],
    );
  });

  it("every bad fixture trips its rule and nothing but the rule it is about plus its own consequences", async () => {
    // The good base minus one mutation trips only pod-security, so each control is judged on its own.
    for (const [name, mutate] of podSecurityBad.filter(([n]) => n !== "CronJob template")) {
      const reported = await runPack([...context(), deployment(mutate)]);
      assert.deepEqual([...new Set(reported.map((r) => r.policy))], ["pod-security"], name);
    }
  });
});

describe("policy: messages and formats", () => {
  it("names each credential format", () => {
    assert.deepEqual(
      Object.entries(KEYS).map(([k, v]) => [k, credentialFormat(v)]),
      [
        ["openai", "OpenAI API key"],
        ["anthropic", "Anthropic API key"],
        ["xai", "xAI API key"],
        ["github", "GitHub token"],
        ["slack", "Slack token"],
        ["aws", "AWS access key id"],
        ["cloudflareTunnel", "Cloudflare tunnel token"],
        ["jwt", "JWT"],
        ["pem", "PEM private key"],
        ["urlCredentials", "credentials in a URL"],
        ["randomUnderSecretKey", undefined],
      ],
    );
    assert.equal(credentialFormat("https://${USER}:${PASSWORD}@host/"), undefined);
  });

  it("recognises pinned references", () => {
    assert.equal(isPinnedImage("nginx:1.27.0"), true);
    assert.equal(isPinnedImage("registry.local:5000/team/app:v2"), true);
    assert.equal(isPinnedImage(`ghcr.io/x/y@sha256:${"a".repeat(64)}`), true);
    for (const bad of [
      "nginx",
      "nginx:latest",
      "registry.local:5000/team/app",
      "nginx:",
      "x:Main",
      `x@sha256:${"a".repeat(63)}`,
    ])
      assert.equal(isPinnedImage(bad), false, bad);
  });

  it("reports a pod-security problem with the object and container", () => {
    const v = evaluate([...context(), deployment((d) => void (sc(d)["privileged"] = true))]);
    assert.deepEqual(
      v.map((x) => x.message),
      ["Deployment apps/web container web: must not be privileged"],
    );
  });
});

describe("policy: the @pulumi/policy pack", () => {
  it("registers one policy per rule with unique names", () => {
    const names = platformPolicies().map((p) => p.name);
    assert.deepEqual(names, [...RESOURCE_RULES.map((r) => r.name), ...STACK_RULES.map((r) => r.name)]);
    assert.equal(new Set(names).size, names.length);
  });

  it("required-labels reads its configuration", async () => {
    const args = packArgs({});
    const policy = args.policies.find((p) => p.name === "required-labels")!;
    (policy as { configSchema?: unknown }).configSchema = undefined;
    assert.deepEqual(
      (await runPack([...context(), deployment()], args)).filter((r) => r.policy === "required-labels"),
      [],
    );
  });

  it("stack policies report against the offending resource", async () => {
    const d = deployment();
    assert.deepEqual(await runPack([namespace(), networkPolicy(), d]), [
      {
        policy: "replicated-workload-pdb",
        urn: d.urn,
        message: "Deployment apps/web: 2 replicas but no PodDisruptionBudget selects its pods",
      },
    ]);
  });

  it("takes its enforcement level from the environment", async () => {
    assert.equal(enforcementLevelFrom({}), "mandatory");
    assert.equal(enforcementLevelFrom({ [ENFORCEMENT_ENV]: "advisory" }), "advisory");
    assert.throws(
      () => enforcementLevelFrom({ [ENFORCEMENT_ENV]: "strict" }),
      /PLATFORM_POLICY_ENFORCEMENT must be one of advisory, mandatory, disabled/,
    );
    assert.deepEqual(
      await runPack([namespace("x", "privileged")], packArgs({ [ENFORCEMENT_ENV]: "disabled" })),
      [],
    );
  });
});

describe("policy: recorded stacks", () => {
  it("judges what the recording runtime records (protect, manifests, chart components)", async () => {
    const rec = await recordProgram(() => {
      const d = deployment((x) => void (container(x)["image"] = "ghcr.io/example/web"));
      new k8s.apps.v1.Deployment("web", d.props as unknown as k8s.apps.v1.DeploymentArgs);
      new k8s.core.v1.PersistentVolumeClaim(
        "data",
        {
          metadata: { name: "data", namespace: "apps" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
        // Protected, as the policy demands of storage.
        { protect: true },
      );
      new k8s.helm.v4.Chart("app", {
        chart: "app",
        version: "1.0.0",
        namespace: "apps",
        values: { image: { repository: "x", tag: "latest" } },
      });
    });
    const subjects = subjectsOfRecording(rec);
    assert.deepEqual(
      subjects
        .map((s) => s.type)
        .filter((t) => t.startsWith("kubernetes:"))
        .sort(),
      ["kubernetes:apps/v1:Deployment", "kubernetes:core/v1:PersistentVolumeClaim", HELM_V4],
    );
    assert.deepEqual(
      (await runPack(subjects)).map((v) => v.policy),
      ["pinned-images", "pinned-images", "network-isolation", "replicated-workload-pdb"],
    );
  });

  for (const stack of ["rooster", "homeops"]) {
    it(`${stack}: every object, chart and provider resource passes the pack`, async () => {
      const reported = await runPack(subjectsOfRecording(await recordedStack(stack)));
      assert.deepEqual(
        reported.map((v) => `${v.policy}: ${v.message}`),
        [],
      );
    });
  }
});
