import { exceptionAnnotations } from "../../policy/exceptions";
import type { PolicySubject } from "../../policy/rules";
import type { BadFixture } from "./badPodSecurity";
import { configMap, context, deployment, HELM_V4, KEYS, namespace, Obj, release, subject } from "./builders";
import type { GoodFixture } from "./good";

/*
 * Secrets by value: twins of good and bad fixtures. The kagent controller Deployment is shaped like
 * kagent-dev/kagent@v0.9.12 helm/kagent/templates/controller-deployment.yaml renders it with the program's
 * values (components/kagent/specs.ts): two `checksum/*` annotations holding the sha256 of templates.
 */

const SHA256 = "3b8f1c0e9d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c";

const kagentLabels = {
  "app.kubernetes.io/name": "kagent",
  "app.kubernetes.io/instance": "kagent",
  "app.kubernetes.io/component": "controller",
};

/** The namespace kagent installs into, with the exceptions lib/layers.ts declares on it. */
function kagentNamespace(): PolicySubject {
  return namespace(
    "kagent",
    "baseline",
    exceptionAnnotations({
      podSecurity: { level: "baseline", reason: "the controller creates agent pods" },
      networkPolicy: "chart pods",
      rbacWildcards: "getter and writer roles",
    }),
  );
}

/** kagent's controller Deployment as the chart renders it (a child of the helm.sh/v4 Chart). */
export function kagentController(annotations: Obj = {}): PolicySubject {
  return subject(
    "kubernetes:apps/v1:Deployment",
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        name: "kagent-controller",
        namespace: "kagent",
        labels: { ...kagentLabels, "app.kubernetes.io/managed-by": "Helm", "helm.sh/chart": "kagent-0.9.12" },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: kagentLabels },
        template: {
          metadata: {
            annotations: { "checksum/configmap": SHA256, "checksum/secret": SHA256, ...annotations },
            labels: kagentLabels,
          },
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            serviceAccountName: "kagent-controller",
            volumes: [{ name: "database-url", secret: { secretName: "kagent-database-url" } }],
            containers: [
              {
                name: "controller",
                image: "cr.kagent.dev/kagent-dev/kagent/controller:0.9.12",
                imagePullPolicy: "IfNotPresent",
                env: [
                  { name: "KAGENT_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                  { name: "AUTH_MODE", value: "unsecure" },
                  { name: "POSTGRES_DATABASE_URL_FILE", value: "/etc/kagent/database/url" },
                  { name: "METRICS_BIND_ADDRESS", value: ":8443" },
                  { name: "METRICS_SECURE", value: "false" },
                ],
                envFrom: [{ configMapRef: { name: "kagent-controller" } }],
                ports: [{ name: "http", containerPort: 8083, protocol: "TCP" }],
                resources: {
                  requests: { cpu: "100m", memory: "128Mi" },
                  limits: { cpu: 2, memory: "512Mi" },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                },
                startupProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 15 },
                readinessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 30 },
                volumeMounts: [{ name: "database-url", mountPath: "/etc/kagent/database", readOnly: true }],
              },
            ],
          },
        },
      },
    },
    { parentType: HELM_V4 },
  );
}

const kagentChart = (): PolicySubject =>
  subject(
    HELM_V4,
    {
      chart: "oci://ghcr.io/kagent-dev/kagent/helm/kagent",
      name: "kagent",
      namespace: "kagent",
      values: { rbac: { namespaces: ["kagent"] }, "kagent-tools": { enabled: false } },
    },
    { name: "kagent" },
  );

const base64 = (text: string): string => Buffer.from(text).toString("base64");

const KUBECONFIG = (user: Obj) =>
  [
    "apiVersion: v1",
    "kind: Config",
    "clusters: [{ name: c, cluster: { server: 'https://10.0.0.1:6443' } }]",
    `users: [{ name: admin, user: ${JSON.stringify(user)} }]`,
  ].join("\n");

export const SECRET_GOOD: GoodFixture[] = [
  {
    name: "kagent's rendered controller Deployment: checksum/* digests are not secrets",
    subjects: () => [kagentNamespace(), kagentChart(), kagentController()],
  },
  {
    name: "config files that reference their secrets, names of Secret keys, and digests",
    subjects: () => [
      ...context(),
      configMap(
        {
          "config.yaml":
            "database:\n  host: db\n  password: ${DB_PASSWORD}\n  passwordFile: /run/secrets/db\n",
          "settings.json": '{"auth": {"tokenFile": "/var/run/token", "apiKeySecretKey": "OPENAI_API_KEY"}}',
          "app.ini": "[db]\nhost = db\npassword = ${DB_PASSWORD}\n",
          kubeconfig: KUBECONFIG({ tokenFile: "/var/run/secrets/token" }),
        },
        { annotations: { "checksum/secret": `sha256:${SHA256}` } },
      ),
      release("app", "apps", {
        existingSecret: "app-credentials",
        auth: { passwordSecretKey: "password", existingSecretPasswordKey: "admin-password" },
      }),
    ],
  },
];

export const SECRET_BAD: BadFixture[] = [
  ...[
    ["a token under a checksum/ key", { "checksum/secret": KEYS.slack }],
    ["a random value under a checksum/ key", { "checksum/secret": KEYS.randomUnderSecretKey }],
    ["an API token beside the digests", { "example.com/api-token": KEYS.randomUnderSecretKey }],
  ].map(([name, annotations]): BadFixture => ({
    rule: "no-plaintext-secrets",
    name: `kagent's controller with ${name as string} in a pod annotation`,
    subjects: () => [kagentNamespace(), kagentChart(), kagentController(annotations as Obj)],
  })),
  ...Object.entries({
    "a literal password in embedded YAML": { "config.yaml": "database:\n  password: hunter2\n" },
    "a literal password in embedded JSON": { "settings.json": '{"db": {"adminPassword": "hunter2"}}' },
    "a literal password in an INI file": { "app.ini": "[db]\nhost = db\npassword = hunter2\n" },
    "a kubeconfig with a bearer token": { kubeconfig: KUBECONFIG({ token: KEYS.randomUnderSecretKey }) },
    "a kubeconfig with a client key": { kubeconfig: KUBECONFIG({ "client-key-data": base64(KEYS.pem) }) },
    "a docker config with registry credentials": {
      ".dockerconfigjson": JSON.stringify({ auths: { "ghcr.io": { auth: base64("bot:hunter2hunter2") } } }),
    },
    "a key only secretlint knows (npm)": {
      npmrc: `//registry.npmjs.org/:_authToken=npm_${"a1B2c3D4e5".repeat(3)}12345a`,
    },
    "a key only secretlint knows (SendGrid)": {
      mail: `SG.${"aBcDeFgHiJ".repeat(2)}aB.${"aBcDeFgHiJ".repeat(4)}abc`,
    },
  }).map(([name, data]): BadFixture => ({
    rule: "no-plaintext-secrets",
    name: `${name} in ConfigMap data`,
    subjects: () => [configMap(data)],
  })),
  {
    rule: "no-plaintext-secrets",
    name: "a private key in ConfigMap binaryData",
    subjects: () => [
      subject("kubernetes:core/v1:ConfigMap", {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cfg", namespace: "apps" },
        binaryData: { "tls.key": base64(KEYS.pem) },
      }),
    ],
  },
  {
    rule: "no-plaintext-secrets",
    name: "a literal password in Helm values under a camelCase name",
    subjects: () => [release("app", "apps", { auth: { adminPassword: "hunter2" } })],
  },
  {
    rule: "no-plaintext-secrets",
    name: "a literal secret key in a custom resource's spec",
    subjects: () => [
      subject("kubernetes:example.com/v1:Exporter", {
        apiVersion: "example.com/v1",
        kind: "Exporter",
        metadata: { name: "x", namespace: "apps" },
        spec: { langfuse: { publicKey: "pk-lf-1234", secretKey: "sk-lf-1234" } },
      }),
    ],
  },
  {
    rule: "no-plaintext-secrets",
    name: "a literal Authorization header in a custom resource",
    subjects: () => [
      subject("kubernetes:example.com/v1:Remote", {
        apiVersion: "example.com/v1",
        kind: "Remote",
        metadata: { name: "x", namespace: "apps" },
        spec: { headers: [{ name: "Authorization", value: "Bearer abc123" }] },
      }),
    ],
  },
  {
    rule: "no-plaintext-secrets",
    name: "a literal password in a pod's env, named like the chart names it",
    subjects: () => [
      ...context(),
      deployment(
        (d) =>
          void d["spec"]["template"]["spec"]["containers"][0]["env"].push({
            name: "POSTGRES_PASSWORD",
            value: "kagent",
          }),
      ),
    ],
  },
];
