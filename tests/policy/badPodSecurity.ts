import { exceptionAnnotations } from "../../policy/exceptions";
import type { PolicySubject } from "../../policy/rules";
import {
  container,
  context,
  deployment,
  goodContainer,
  HELM_V4,
  labels,
  namespace,
  networkPolicy,
  Obj,
  pdb,
  pod,
  release,
  sc,
  subject,
} from "./builders";

/* Bad fixtures of the Pod Security rules: each changes the good pod once and names the rule it must trip. */

export interface BadFixture {
  /** The rule the fixture must trip. */
  rule: string;
  name: string;
  subjects: () => PolicySubject[];
}

/** One mutation of the good Deployment per Pod Security control. */
export const podSecurityBad: Array<[string, (d: Obj) => void]> = [
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

export const POD_SECURITY_BAD: BadFixture[] = [
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
];
