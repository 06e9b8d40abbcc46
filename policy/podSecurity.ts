import {
  enforcedLevel,
  ENFORCE_LABEL,
  isPodSecurityLevel,
  namespaceExceptions,
  PodSecurityLevel,
  podSecurityDeclaration,
  POD_SECURITY_EXCEPTION,
} from "./exceptions";
import {
  anyPodTemplateOf,
  containersOf,
  get,
  isDeclaredKubernetesObject,
  kindOf,
  label,
  list,
  namespaceOf,
  obj,
  Obj,
  PodTemplate,
  PolicySubject,
  strings,
  Violation,
} from "./objects";

/*
 * The Pod Security Standards as the admission controller evaluates them for Kubernetes 1.36 (the clusters'
 * version): every baseline and restricted check of kubernetes/pod-security-admission@8f84a87 policy/check_*.go,
 * each citing its file. Privileged namespaces are not judged; baseline namespaces get the baseline checks.
 * On top of restricted the platform asks declared workloads for a read-only root filesystem.
 */

/** Capabilities baseline lets a container add (check_capabilities_baseline.go). */
const BASELINE_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/** Safe sysctls up to 1.36: the 1.0, 1.27, 1.29 and 1.32 sets (check_sysctls.go; the 1.37 additions excluded). */
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
]);

/** SELinux types baseline allows from 1.31 (check_seLinuxOptions.go). */
const SELINUX_TYPES = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);

/** Inline volume sources restricted allows (check_restrictedVolumes.go). */
const RESTRICTED_VOLUME_SOURCES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/** Pods with `hostUsers: false` run in a user namespace; some checks relax for them (helpers.go). */
function inUserNamespace(pod: Obj): boolean {
  return pod["hostUsers"] === false;
}

function baseline(where: string, template: PodTemplate): string[] {
  const problems: string[] = [];
  const pod = template.spec;
  const podSc = obj(pod["securityContext"]);
  // check_windowsHostProcess.go
  if (get(podSc, "windowsOptions", "hostProcess") === true) problems.push(`${where}: pod sets hostProcess`);
  // check_hostNamespaces.go
  for (const ns of ["hostNetwork", "hostPID", "hostIPC"])
    if (pod[ns] === true) problems.push(`${where}: ${ns} is set`);
  // check_hostPathVolumes.go
  for (const volume of list(pod["volumes"]))
    if (volume["hostPath"] !== undefined)
      problems.push(`${where}: volume ${String(volume["name"])} is a hostPath`);
  // check_appArmorProfile.go (pod field and the deprecated per-container annotations)
  const appArmorOk = (t: unknown) => t === undefined || t === "RuntimeDefault" || t === "Localhost";
  if (!appArmorOk(get(podSc, "appArmorProfile", "type")))
    problems.push(`${where}: pod AppArmor profile must be RuntimeDefault or Localhost`);
  for (const [key, value] of Object.entries(obj(template.metadata["annotations"])))
    if (
      key.startsWith("container.apparmor.security.beta.kubernetes.io/") &&
      typeof value === "string" &&
      value !== "" &&
      value !== "runtime/default" &&
      !value.startsWith("localhost/")
    )
      problems.push(`${where}: annotation ${key}=${value} is a forbidden AppArmor profile`);
  // check_seLinuxOptions.go
  const seLinux = (o: unknown): string[] => {
    const opts = obj(o);
    const bad: string[] = [];
    if (typeof opts["type"] === "string" && !SELINUX_TYPES.has(opts["type"]))
      bad.push(`type ${opts["type"]}`);
    if (typeof opts["user"] === "string" && opts["user"] !== "") bad.push("user");
    if (typeof opts["role"] === "string" && opts["role"] !== "") bad.push("role");
    return bad;
  };
  const podSeLinux = seLinux(podSc["seLinuxOptions"]);
  if (podSeLinux.length > 0) problems.push(`${where}: pod seLinuxOptions set ${podSeLinux.join(", ")}`);
  // check_seccompProfile_baseline.go
  if (get(podSc, "seccompProfile", "type") === "Unconfined")
    problems.push(`${where}: pod seccompProfile must not be Unconfined`);
  // check_sysctls.go
  const unsafe = list(podSc["sysctls"])
    .map((s) => String(s["name"]))
    .filter((n) => !SAFE_SYSCTLS.has(n));
  if (unsafe.length > 0) problems.push(`${where}: unsafe sysctls ${unsafe.join(", ")}`);

  for (const container of containersOf(pod)) {
    const c = `${where} container ${String(container["name"])}`;
    const sc = obj(container["securityContext"]);
    if (get(sc, "windowsOptions", "hostProcess") === true) problems.push(`${c}: sets hostProcess`);
    // check_privileged.go
    if (sc["privileged"] === true) problems.push(`${c}: must not be privileged`);
    // check_capabilities_baseline.go
    const nonDefault = strings(get(sc, "capabilities", "add")).filter(
      (cap) => !BASELINE_CAPABILITIES.has(cap),
    );
    if (nonDefault.length > 0) problems.push(`${c}: must not add capabilities ${nonDefault.join(", ")}`);
    // check_hostPorts.go
    for (const port of list(container["ports"]))
      if (port["hostPort"] !== undefined && port["hostPort"] !== 0)
        problems.push(`${c}: must not use hostPort ${String(port["hostPort"])}`);
    if (!appArmorOk(get(sc, "appArmorProfile", "type")))
      problems.push(`${c}: AppArmor profile must be RuntimeDefault or Localhost`);
    const cSeLinux = seLinux(sc["seLinuxOptions"]);
    if (cSeLinux.length > 0) problems.push(`${c}: seLinuxOptions set ${cSeLinux.join(", ")}`);
    // check_procMount_baseline.go: any value inside a user namespace from 1.35
    if (sc["procMount"] !== undefined && sc["procMount"] !== "Default" && !inUserNamespace(pod))
      problems.push(`${c}: procMount must be Default`);
    if (get(sc, "seccompProfile", "type") === "Unconfined")
      problems.push(`${c}: seccompProfile must not be Unconfined`);
    // check_hostProbesAndhostLifecycle.go (1.34+)
    const handlers = [
      obj(container["livenessProbe"]),
      obj(container["readinessProbe"]),
      obj(container["startupProbe"]),
      obj(get(container, "lifecycle", "postStart")),
      obj(get(container, "lifecycle", "preStop")),
    ];
    for (const h of handlers)
      for (const via of ["httpGet", "tcpSocket"]) {
        const host = get(h, via, "host");
        if (typeof host === "string" && host !== "")
          problems.push(`${c}: probe or lifecycle ${via} sets host ${host}`);
      }
  }
  return problems;
}

function restricted(where: string, template: PodTemplate, declared: boolean): string[] {
  const problems: string[] = [];
  const pod = template.spec;
  const podSc = obj(pod["securityContext"]);
  const userNs = inUserNamespace(pod);
  // check_restrictedVolumes.go (a volume with no source is an emptyDir)
  for (const volume of list(pod["volumes"])) {
    const sources = Object.keys(volume).filter((k) => k !== "name");
    const bad = sources.filter((s) => !RESTRICTED_VOLUME_SOURCES.has(s) && s !== "hostPath");
    if (bad.length > 0)
      problems.push(`${where}: volume ${String(volume["name"])} uses restricted type ${bad.join(", ")}`);
  }
  // check_runAsUser.go (pod level)
  if (!userNs && podSc["runAsUser"] === 0) problems.push(`${where}: pod must not run as UID 0`);
  for (const container of containersOf(pod)) {
    const c = `${where} container ${String(container["name"])}`;
    const sc = obj(container["securityContext"]);
    // check_runAsNonRoot.go
    if (!userNs && (sc["runAsNonRoot"] ?? podSc["runAsNonRoot"]) !== true)
      problems.push(`${c}: runAsNonRoot must be true`);
    if (!userNs && sc["runAsUser"] === 0) problems.push(`${c}: must not run as UID 0`);
    // check_allowPrivilegeEscalation.go
    if (sc["allowPrivilegeEscalation"] !== false)
      problems.push(`${c}: allowPrivilegeEscalation must be false`);
    // check_capabilities_restricted.go
    if (!strings(get(sc, "capabilities", "drop")).includes("ALL"))
      problems.push(`${c}: capabilities must drop ALL`);
    const added = strings(get(sc, "capabilities", "add")).filter(
      (cap) => cap !== "NET_BIND_SERVICE" && BASELINE_CAPABILITIES.has(cap),
    );
    if (added.length > 0) problems.push(`${c}: may add only NET_BIND_SERVICE, not ${added.join(", ")}`);
    // check_seccompProfile_restricted.go
    const seccomp = get(sc, "seccompProfile", "type") ?? get(podSc, "seccompProfile", "type");
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
      problems.push(`${c}: seccompProfile must be RuntimeDefault or Localhost`);
    // check_procMount_restricted.go: unconditional from 1.35 (baseline already reports it outside user namespaces)
    if (userNs && sc["procMount"] !== undefined && sc["procMount"] !== "Default")
      problems.push(`${c}: procMount must be Default`);
    if (declared && sc["readOnlyRootFilesystem"] !== true)
      problems.push(`${c}: readOnlyRootFilesystem must be true (platform)`);
  }
  return problems;
}

/** Every Pod Security problem of a workload at `level` (none for privileged or non-workloads). */
function podSecurityViolations(subject: PolicySubject, level: PodSecurityLevel = "restricted"): string[] {
  const template = anyPodTemplateOf(subject);
  if (template === undefined || level === "privileged") return [];
  const where = label(subject);
  const problems = baseline(where, template);
  if (level === "restricted")
    problems.push(...restricted(where, template, isDeclaredKubernetesObject(subject)));
  return problems;
}

/** Every workload judged at its namespace's level (restricted unless the namespace declares an exception). */
export function podSecurityStackViolations(subjects: PolicySubject[]): Violation[] {
  const exceptions = namespaceExceptions(subjects);
  return subjects.flatMap((s) =>
    podSecurityViolations(s, exceptions.get(namespaceOf(s))?.podSecurity ?? "restricted").map((message) => ({
      policy: "pod-security",
      urn: s.urn,
      message,
    })),
  );
}

/** A Namespace enforces a Pod Security level, and anything below restricted is a declared exception at that level. */
export function namespacePodSecurityViolations(subject: PolicySubject): string[] {
  if (kindOf(subject) !== "Namespace") return [];
  const where = label(subject);
  const level = enforcedLevel(subject);
  const declared = podSecurityDeclaration(subject);
  if (declared !== undefined && "problem" in declared) return [`${where}: ${declared.problem}`];
  if (level === undefined) return [`${where}: no ${ENFORCE_LABEL} label`];
  if (!isPodSecurityLevel(level))
    return [`${where}: ${ENFORCE_LABEL} is "${level}", not a Pod Security level`];
  if (declared === undefined)
    return level === "restricted"
      ? []
      : [
          `${where}: enforces ${level} without a declared exception (${POD_SECURITY_EXCEPTION}: "${level}: <reason>")`,
        ];
  if (declared.level !== level)
    return [
      `${where}: declares a ${declared.level} exception but ${ENFORCE_LABEL} is ${level}; they must match`,
    ];
  return [];
}
