import {
  anyPodTemplateOf,
  get,
  isDeclaredKubernetesObject,
  kindOf,
  label,
  list,
  nameOf,
  namespaceOf,
  obj,
  Obj,
  podTemplateOf,
  PolicySubject,
  strings,
  Violation,
} from "./objects";

/*
 * A workload that runs more than one pod needs a PodDisruptionBudget, whoever sets the pod count: its own
 * `replicas`, a HorizontalPodAutoscaler with `minReplicas > 1` (autoscaling/v2, minReplicas defaults to 1), or
 * a KEDA ScaledObject (keda.sh/v1alpha1), which may scale it to any count up to maxReplicaCount.
 */

/**
 * Whether a label selector selects these labels: matchLabels and matchExpressions (In, NotIn, Exists,
 * DoesNotExist) together (k8s.io/apimachinery@v0.36.3: pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector). An
 * empty selector of a policy/v1 PDB selects every pod of its namespace, a missing one none (k8s.io/api@v0.36.3:
 * policy/v1/types.go, PodDisruptionBudgetSpec.Selector).
 */
export function selectorMatches(selector: Obj, labels: Obj): boolean {
  const matchLabels = Object.entries(obj(selector["matchLabels"]));
  const expressions = list(selector["matchExpressions"]);
  return (
    matchLabels.every(([k, v]) => labels[k] === v) &&
    expressions.every((e) => {
      const key = String(e["key"]);
      const values = strings(e["values"]);
      const has = typeof labels[key] === "string";
      switch (e["operator"]) {
        case "In":
          return has && values.includes(labels[key] as string);
        case "NotIn":
          return !has || !values.includes(labels[key] as string);
        case "Exists":
          return has;
        case "DoesNotExist":
          return !has;
        default:
          return false;
      }
    })
  );
}

/** The pods a PDB value allows out of `replicas`: an integer or a percentage, rounded up (pkg/controller/disruption). */
function count(value: unknown, replicas: number): number | undefined {
  if (typeof value === "number") return value;
  const pct = typeof value === "string" ? /^(\d+)%$/.exec(value) : null;
  return pct === null ? undefined : Math.ceil((Number(pct[1]) * replicas) / 100);
}

/**
 * A PodDisruptionBudget that allows no eviction: `maxUnavailable: 0`, or `minAvailable` that keeps every pod of
 * what it selects. A drain (Talos upgrades drain each node) then waits for ever.
 */
export function blockingPdbViolations(subjects: PolicySubject[]): Violation[] {
  const workloads = subjects.filter((s) => ["Deployment", "StatefulSet"].includes(kindOf(s) ?? ""));
  const hpaMinimum = new Map(
    subjects
      .filter((s) => kindOf(s) === "HorizontalPodAutoscaler")
      .map((s) => {
        const ref = obj(get(s.props, "spec", "scaleTargetRef"));
        const min = get(s.props, "spec", "minReplicas");
        return [
          targetKey(namespaceOf(s), ref["kind"], ref["name"]),
          typeof min === "number" ? min : 1,
        ] as const;
      }),
  );
  const out: Violation[] = [];
  for (const p of subjects.filter((s) => kindOf(s) === "PodDisruptionBudget")) {
    const spec = obj(p.props["spec"]);
    const selected = workloads.filter(
      (w) =>
        namespaceOf(w) === namespaceOf(p) &&
        spec["selector"] !== undefined &&
        selectorMatches(obj(spec["selector"]), obj(anyPodTemplateOf(w)?.metadata["labels"])),
    );
    // An autoscaled workload can be at its HPA's minReplicas (1 unless set) when a node drains.
    const replicas = selected.reduce(
      (n, w) => n + (hpaMinimum.get(targetKey(namespaceOf(w), kindOf(w), nameOf(w))) ?? replicasOf(w)),
      0,
    );
    const maxUnavailable = count(spec["maxUnavailable"], replicas);
    const minAvailable = count(spec["minAvailable"], replicas);
    const why =
      maxUnavailable === 0
        ? "maxUnavailable 0"
        : spec["minAvailable"] === "100%"
          ? "minAvailable 100%"
          : selected.length > 0 && minAvailable !== undefined && minAvailable >= replicas
            ? `minAvailable ${String(spec["minAvailable"])} of ${replicas} pod${replicas === 1 ? "" : "s"}`
            : undefined;
    if (why !== undefined)
      out.push({
        policy: "replicated-workload-pdb",
        urn: p.urn,
        message: `${label(p)}: ${why} allows no eviction, so a node drain (a Talos upgrade) never finishes; allow at least one pod to go`,
      });
  }
  return out;
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
        get(p.props, "spec", "selector") !== undefined &&
        selectorMatches(obj(get(p.props, "spec", "selector")), podLabels),
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

/**
 * A PersistentVolume backed by a host path hands the node's filesystem to any pod that claims it, past Pod
 * Security's hostPath control, which judges only the pod's own volumes (kubernetes/pod-security-admission
 * policy/check_hostPathVolumes.go).
 */
export function hostPathVolumeViolations(subjects: PolicySubject[]): Violation[] {
  return subjects
    .filter((s) => kindOf(s) === "PersistentVolume" && get(s.props, "spec", "hostPath") !== undefined)
    .map((s) => ({
      policy: "pod-security",
      urn: s.urn,
      message: `${label(s)}: hostPath ${String(get(s.props, "spec", "hostPath", "path"))} as a PersistentVolume gives the node's filesystem to any pod that claims it; use a CSI volume such as Longhorn`,
    }));
}
