import { deployment, namespace } from "../policy/builders";
import { runPack } from "../policy/pack";

/** The pack's policies about a pod itself: Pod Security (restricted, with a read-only root filesystem), resources, images. */
const POD_POLICIES = new Set(["pod-security", "container-resources", "pinned-images"]);

/**
 * Everything the policy pack (the program's own oracle, run through its analyzer handlers) reports about a pod
 * spec run as a Deployment in a restricted namespace, and every container without readiness and liveness
 * probes, which the pack does not require but the platform's own workloads carry. Empty when compliant.
 */
export async function podBaselineViolations(podSpec: Record<string, unknown>): Promise<string[]> {
  const workload = deployment((d) => {
    d["spec"]["template"]["spec"] = podSpec;
  });
  const reported = await runPack([namespace(), workload]);
  const probes = ((podSpec["containers"] ?? []) as Array<Record<string, unknown>>).flatMap((c) =>
    ["readinessProbe", "livenessProbe"]
      .filter((probe) => c[probe] === undefined)
      .map((probe) => `${String(c["name"])}: no ${probe}`),
  );
  return [...reported.filter((r) => POD_POLICIES.has(r.policy)).map((r) => r.message), ...probes];
}
