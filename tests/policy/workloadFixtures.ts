import type { PolicySubject } from "../../policy/rules";
import type { BadFixture } from "./badPodSecurity";
import { container, context, deployment, namespace, networkPolicy, Obj, release, subject } from "./builders";
import type { GoodFixture } from "./good";

/* Images, network reach and disruption budgets: twins of good and bad fixtures. */

const image = (ref: string) => (d: Obj) => void (container(d)["image"] = ref);

function pdbWith(spec: Obj): PolicySubject {
  return subject("kubernetes:policy/v1:PodDisruptionBudget", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "web", namespace: "apps" },
    spec,
  });
}

const byExpression = {
  matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["web", "api"] }],
};

const egress = (rules: Obj[]) =>
  networkPolicy("apps", {
    podSelector: { matchLabels: { app: "web" } },
    policyTypes: ["Egress"],
    egress: rules,
  });
const ingress = (rules: Obj[]) =>
  networkPolicy("apps", {
    podSelector: { matchLabels: { app: "web" } },
    policyTypes: ["Ingress"],
    ingress: rules,
  });
const to = (...cidrs: string[]) => cidrs.map((cidr) => ({ ipBlock: { cidr } }));

export const WORKLOAD_GOOD: GoodFixture[] = [
  {
    name: "full version tags, a variant suffix, a commit and a digest",
    subjects: () => [
      ...context(),
      deployment(image("docker.io/library/node:22.23.2-alpine")),
      release("app", "apps", { image: { repository: "ghcr.io/x/app", tag: "v1.3.0" } }),
    ],
  },
  {
    name: "a PodDisruptionBudget by matchExpressions that lets one pod go",
    subjects: () => [
      namespace(),
      networkPolicy(),
      deployment(),
      pdbWith({ maxUnavailable: 1, selector: byExpression }),
    ],
  },
  {
    name: "internet egress on named ports, private ranges on every port, LAN ingress next to the default-deny",
    subjects: () => [
      ...context(),
      deployment(),
      egress([
        { to: to("0.0.0.0/1", "128.0.0.0/1"), ports: [{ port: 443 }] },
        { to: to("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16") },
      ]),
      ingress([{ from: to("10.50.0.0/24"), ports: [{ port: 8080 }] }]),
    ],
  },
];

export const WORKLOAD_BAD: BadFixture[] = [
  ...["python:3", "node:lts-alpine", "python:3.12-slim", "ghcr.io/x/app:v2"].map((ref): BadFixture => ({
    rule: "pinned-images",
    name: `the moving tag ${ref}`,
    subjects: () => [...context(), deployment(image(ref))],
  })),
  {
    rule: "pinned-images",
    name: "a moving tag in Helm values",
    subjects: () => [release("app", "apps", { image: { repository: "python", tag: "3.12" } })],
  },
  {
    rule: "replicated-workload-pdb",
    name: "maxUnavailable 0 blocks every drain",
    subjects: () => [
      namespace(),
      networkPolicy(),
      deployment(),
      pdbWith({ maxUnavailable: 0, selector: byExpression }),
    ],
  },
  {
    rule: "replicated-workload-pdb",
    name: "minAvailable equal to the replicas blocks every drain",
    subjects: () => [
      namespace(),
      networkPolicy(),
      deployment(),
      pdbWith({ minAvailable: 2, selector: { matchLabels: { "app.kubernetes.io/name": "web" } } }),
    ],
  },
  {
    rule: "replicated-workload-pdb",
    name: "a PodDisruptionBudget whose expressions select other pods does not count",
    subjects: () => [
      namespace(),
      networkPolicy(),
      deployment(),
      pdbWith({
        maxUnavailable: 1,
        selector: {
          matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: ["web"] }],
        },
      }),
    ],
  },
  {
    rule: "pod-security",
    name: "hostPath through a PersistentVolume",
    subjects: () => [
      subject(
        "kubernetes:core/v1:PersistentVolume",
        {
          apiVersion: "v1",
          kind: "PersistentVolume",
          metadata: { name: "host" },
          spec: {
            capacity: { storage: "1Gi" },
            accessModes: ["ReadWriteOnce"],
            hostPath: { path: "/var/lib" },
          },
        },
        { protect: true },
      ),
    ],
  },
  ...(
    [
      ["a port range to the internet", [{ to: to("0.0.0.0/0"), ports: [{ port: 1, endPort: 65535 }] }]],
      ["the internet in two halves", [{ to: to("0.0.0.0/1", "128.0.0.0/1") }]],
      ["the internet in halves over two rules", [{ to: to("0.0.0.0/1") }, { to: to("128.0.0.0/1") }]],
    ] as const
  ).map(([name, rules]): BadFixture => ({
    rule: "egress-world-ports",
    name,
    subjects: () => [...context(), deployment(), egress(rules as unknown as Obj[])],
  })),
  {
    rule: "network-isolation",
    name: "world ingress next to a default-deny",
    subjects: () => [
      ...context(),
      deployment(),
      ingress([{ from: to("0.0.0.0/0"), ports: [{ port: 8080 }] }]),
    ],
  },
  {
    rule: "network-isolation",
    name: "ingress from any source next to a default-deny",
    subjects: () => [...context(), deployment(), ingress([{ ports: [{ port: 8080 }] }])],
  },
];
