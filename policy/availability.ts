import {
  get,
  isDeclaredKubernetesObject,
  kindOf,
  label,
  nameOf,
  namespaceOf,
  obj,
  Obj,
  podTemplateOf,
  PolicySubject,
  Violation,
} from "./objects";

/*
 * A workload that runs more than one pod needs a PodDisruptionBudget, whoever sets the pod count: its own
 * `replicas`, a HorizontalPodAutoscaler with `minReplicas > 1` (autoscaling/v2, minReplicas defaults to 1), or
 * a KEDA ScaledObject (keda.sh/v1alpha1), which may scale it to any count up to maxReplicaCount.
 */

function selectorMatches(matchLabels: Obj, labels: Obj): boolean {
  const entries = Object.entries(matchLabels);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

function replicasOf(subject: PolicySubject): number {
  const replicas = get(subject.props, "spec", "replicas");
  return typeof replicas === "number" ? replicas : 1;
}

/** `Kind/name` of a scale target, as HPAs and ScaledObjects reference it (KEDA defaults the kind to Deployment). */
function targetKey(namespace: string, kind: unknown, name: unknown): string {
  return `${namespace}/${typeof kind === "string" ? kind : "Deployment"}/${String(name)}`;
}

/** Why each scale target runs more than one pod: `replicas`, an HPA's minReplicas or a ScaledObject. */
function scaledTargets(declared: PolicySubject[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of declared) {
    const kind = kindOf(s);
    const ref = obj(get(s.props, "spec", "scaleTargetRef"));
    if (kind === "HorizontalPodAutoscaler") {
      const min = get(s.props, "spec", "minReplicas");
      if (typeof min === "number" && min > 1)
        out.set(
          targetKey(namespaceOf(s), ref["kind"], ref["name"]),
          `HorizontalPodAutoscaler ${nameOf(s)} keeps at least ${min} replicas`,
        );
    } else if (kind === "ScaledObject") {
      out.set(
        targetKey(namespaceOf(s), ref["kind"], ref["name"]),
        `KEDA ScaledObject ${nameOf(s)} scales it`,
      );
    }
  }
  return out;
}

/** Every Deployment or StatefulSet that runs more than one pod has a PodDisruptionBudget selecting its pods. */
export function pdbViolations(subjects: PolicySubject[]): Violation[] {
  const declared = subjects.filter(isDeclaredKubernetesObject);
  const pdbs = declared.filter((s) => kindOf(s) === "PodDisruptionBudget");
  const scaled = scaledTargets(declared);
  const out: Violation[] = [];
  for (const s of declared) {
    const kind = kindOf(s);
    if (kind !== "Deployment" && kind !== "StatefulSet") continue;
    const why =
      scaled.get(targetKey(namespaceOf(s), kind, nameOf(s))) ??
      (replicasOf(s) > 1 ? `${replicasOf(s)} replicas` : undefined);
    if (why === undefined) continue;
    const podLabels = obj(podTemplateOf(s)?.metadata["labels"]);
    const covered = pdbs.some(
      (p) =>
        namespaceOf(p) === namespaceOf(s) &&
        selectorMatches(obj(get(p.props, "spec", "selector", "matchLabels")), podLabels),
    );
    if (!covered)
      out.push({
        policy: "replicated-workload-pdb",
        urn: s.urn,
        message: `${label(s)}: ${why} but no PodDisruptionBudget selects its pods`,
      });
  }
  return out;
}
