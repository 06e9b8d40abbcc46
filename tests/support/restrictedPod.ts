/*
 * The hardening baseline every workload the platform builds meets, as a test oracle over recorded pod specs.
 */

function get(obj: unknown, ...path: string[]): unknown {
  let node = obj;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Everything a pod spec does against the hardening baseline: restricted Pod Security (non-root, no privilege
 * escalation, all capabilities dropped, seccomp RuntimeDefault), read-only root filesystem, requests and
 * limits, readiness and liveness probes, a pinned image. Empty when compliant; every layer's tests check their pods with it.
 */
export function restrictedViolations(podSpec: Record<string, unknown>, label = "pod"): string[] {
  const problems: string[] = [];
  const pod = (podSpec["securityContext"] ?? {}) as Record<string, unknown>;
  if (podSpec["hostNetwork"] === true || podSpec["hostPID"] === true || podSpec["hostIPC"] === true)
    problems.push(`${label}: uses host namespaces`);
  const podSeccomp = get(pod, "seccompProfile", "type");
  const containers = [
    ...((podSpec["initContainers"] ?? []) as unknown[]),
    ...((podSpec["containers"] ?? []) as unknown[]),
  ] as Array<Record<string, unknown>>;
  if (containers.length === 0) problems.push(`${label}: no containers`);
  for (const c of containers) {
    const name = `${label}/${String(c["name"])}`;
    const sc = (c["securityContext"] ?? {}) as Record<string, unknown>;
    const nonRoot = sc["runAsNonRoot"] ?? pod["runAsNonRoot"];
    const user = sc["runAsUser"] ?? pod["runAsUser"];
    if (nonRoot !== true) problems.push(`${name}: runAsNonRoot is not true`);
    if (user === 0) problems.push(`${name}: runs as UID 0`);
    if (sc["allowPrivilegeEscalation"] !== false)
      problems.push(`${name}: allowPrivilegeEscalation is not false`);
    if (sc["privileged"] === true) problems.push(`${name}: privileged`);
    if (sc["readOnlyRootFilesystem"] !== true) problems.push(`${name}: root filesystem is writable`);
    const drop = (get(sc, "capabilities", "drop") ?? []) as string[];
    if (!drop.includes("ALL")) problems.push(`${name}: capabilities do not drop ALL`);
    const add = (get(sc, "capabilities", "add") ?? []) as string[];
    if (add.some((cap) => cap !== "NET_BIND_SERVICE"))
      problems.push(`${name}: adds capabilities ${add.join(", ")}`);
    const seccomp = get(sc, "seccompProfile", "type") ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
      problems.push(`${name}: seccomp profile is not RuntimeDefault`);
    for (const kind of ["requests", "limits"]) {
      for (const res of ["cpu", "memory"]) {
        if (get(c, "resources", kind, res) === undefined)
          problems.push(`${name}: no ${res} ${kind.replace(/s$/, "")}`);
      }
    }
    const image = String(c["image"] ?? "");
    const tag = image.includes("@") ? "digest" : image.slice(image.lastIndexOf("/") + 1).split(":")[1];
    if (tag === undefined || tag === "" || tag === "latest")
      problems.push(`${name}: image ${image} is not pinned`);
    const isInit = ((podSpec["initContainers"] ?? []) as unknown[]).includes(c);
    if (!isInit) {
      if (c["readinessProbe"] === undefined) problems.push(`${name}: no readiness probe`);
      if (c["livenessProbe"] === undefined) problems.push(`${name}: no liveness probe`);
    }
  }
  return problems;
}
