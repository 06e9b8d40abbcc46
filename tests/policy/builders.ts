import type { PolicySubject } from "../../policy/rules";

/* Builders of the policy fixtures: a hardened Deployment in an isolated restricted namespace, and its context. */

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const STACK_URN = "urn:pulumi:test::ai-platform::";
export const HELM_V4 = "kubernetes:helm.sh/v4:Chart";

export function subject(
  type: string,
  props: Obj,
  opts: { name?: string; protect?: boolean; parentType?: string } = {},
): PolicySubject {
  const name = opts.name ?? String(props["metadata"]?.["name"] ?? "r");
  const qualified = opts.parentType === undefined ? type : `${opts.parentType}$${type}`;
  return { urn: `${STACK_URN}${qualified}::${name}`, type, name, props, protect: opts.protect ?? false };
}

export const labels = {
  "app.kubernetes.io/name": "web",
  "app.kubernetes.io/instance": "web",
  "app.kubernetes.io/managed-by": "pulumi",
};

export function goodContainer(): Obj {
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

export function deployment(
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

export const pod = (d: Obj): Obj => d["spec"]["template"]["spec"];
export const container = (d: Obj): Obj => pod(d)["containers"][0];
export const sc = (d: Obj): Obj => container(d)["securityContext"];

export function namespace(
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

export function networkPolicy(
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

export function pdb(matchLabels: Obj = { "app.kubernetes.io/name": "web" }, ns = "apps"): PolicySubject {
  return subject("kubernetes:policy/v1:PodDisruptionBudget", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "web", namespace: ns },
    spec: { minAvailable: 1, selector: { matchLabels } },
  });
}

export function configMap(data: Obj, metadata: Obj = {}): PolicySubject {
  return subject("kubernetes:core/v1:ConfigMap", {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "cfg", namespace: "apps", ...metadata },
    data,
  });
}

export function release(chart: string, ns: string, values: Obj = {}): PolicySubject {
  return subject(
    "kubernetes:helm.sh/v3:Release",
    { chart, name: chart, namespace: ns, version: "1.0.0", values },
    { name: `${chart}-release` },
  );
}

export function clusterRole(
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
export const context = (): PolicySubject[] => [namespace(), networkPolicy(), pdb()];

export const KEYS = {
  openai: `sk-proj-${"Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF"}`,
  anthropic: `sk-ant-api03-${"x".repeat(8)}${"Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF"}`,
  xai: `xai-${"Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF"}`,
  github: `ghp_${"Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF1234"}`,
  slack: `xoxb-1234567890-${"Ab3dE5gH7jK9mN1p"}`,
  aws: `AKIA${"IOSFODNN7EXAMPLE"}`,
  cloudflare: `cfut_${"Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF2gH4jK6m"}0a1b2c3d`,
  cloudflareTunnel: Buffer.from(
    JSON.stringify({ a: "0123456789abcdef", t: "4e3c-tunnel-id-aaaa", s: "c2VjcmV0LXNlY3JldC1zZWNyZXQ=" }),
  ).toString("base64"),
  jwt: `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${"dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}`,
  pem: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
  urlCredentials: "postgres://kagent:hunter2hunter2@db.kagent.svc:5432/kagent",
  randomUnderSecretKey: "q8Zr2Lx9Vt4Nw7Kp3Hs6Jd1Fg5",
};
