import type { PlannedState } from "../plan";
import { Finding, finding } from "./findings";
import { groupOf, KubernetesState, objectKey } from "./liveState";
import { describeObject } from "./kubernetes";

/*
 * Namespace-wide default-deny policies the plan adds, against the workloads that run in that namespace and
 * that the program does not declare. NetworkPolicies add up: a pod selected by any policy of a direction is
 * isolated in that direction and gets exactly what the selecting policies allow
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation).
 * A pod no allowing policy selects, before or after the run, is cut off by the default-deny.
 */

type Obj = Record<string, unknown>;
type Direction = "Ingress" | "Egress";

const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "CronJob"];

interface Policy {
  name: string;
  selector: Obj;
  directions: Direction[];
  /** True when the policy allows some traffic of the direction (rules present). */
  allows: Record<Direction, boolean>;
}

function policyOf(name: string, spec: Obj): Policy {
  const ingress = spec["ingress"];
  const egress = spec["egress"];
  const types = Array.isArray(spec["policyTypes"])
    ? (spec["policyTypes"] as Direction[])
    : (["Ingress", ...(egress !== undefined ? ["Egress"] : [])] as Direction[]);
  return {
    name,
    selector: (spec["podSelector"] ?? {}) as Obj,
    directions: types,
    allows: {
      Ingress: Array.isArray(ingress) && ingress.length > 0,
      Egress: Array.isArray(egress) && egress.length > 0,
    },
  };
}

/** Whether a label selector (matchLabels and matchExpressions) selects the labels. */
export function selects(selector: Obj, labels: Readonly<Record<string, string>>): boolean {
  const matchLabels = (selector["matchLabels"] ?? {}) as Record<string, string>;
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return ((selector["matchExpressions"] ?? []) as Obj[]).every((e) => {
    const key = String(e["key"]);
    const values = (e["values"] ?? []) as string[];
    switch (e["operator"]) {
      case "In":
        return key in labels && values.includes(labels[key]!);
      case "NotIn":
        return !(key in labels) || !values.includes(labels[key]!);
      case "Exists":
        return key in labels;
      case "DoesNotExist":
        return !(key in labels);
      default:
        return false;
    }
  });
}

const isEmptySelector = (s: Obj) =>
  Object.keys((s["matchLabels"] ?? {}) as Obj).length === 0 &&
  ((s["matchExpressions"] ?? []) as unknown[]).length === 0;

/** The labels of the pods a workload runs. */
function podLabels(workload: Obj): Record<string, string> {
  const spec = (workload["spec"] ?? {}) as Obj;
  const template =
    workload["kind"] === "CronJob"
      ? (((spec["jobTemplate"] as Obj)?.["spec"] as Obj)?.["template"] as Obj)
      : (spec["template"] as Obj);
  return (((template ?? {})["metadata"] as Obj | undefined)?.["labels"] ?? {}) as Record<string, string>;
}

export function networkPolicyFindings(plan: PlannedState, live: KubernetesState): Finding[] {
  const planned = plan.objects.filter((o) => o.group === "networking.k8s.io" && o.kind === "NetworkPolicy");
  const plannedKeys = new Set(plan.objects.map((o) => objectKey(o.group, o.kind, o.namespace, o.name)));
  const out: Finding[] = [];
  for (const deny of planned) {
    const policy = policyOf(deny.name, (deny.manifest["spec"] ?? {}) as Obj);
    const denied = policy.directions.filter((d) => !policy.allows[d]);
    if (!isEmptySelector(policy.selector) || denied.length === 0) continue;
    const ns = deny.namespace!;
    // The policies that will select pods in the namespace: the program's (replacing live ones of the same
    // name) and the live ones the program leaves alone.
    const policies = [
      ...planned
        .filter((p) => p.namespace === ns && p !== deny)
        .map((p) => policyOf(p.name, (p.manifest["spec"] ?? {}) as Obj)),
      ...live.objects
        .filter((o) => groupOf(o["apiVersion"]) === "networking.k8s.io" && o["kind"] === "NetworkPolicy")
        .filter(
          (o) =>
            (o["metadata"] as Obj)["namespace"] === ns &&
            !plannedKeys.has(
              objectKey("networking.k8s.io", "NetworkPolicy", ns, String((o["metadata"] as Obj)["name"])),
            ),
        )
        .map((o) => policyOf(String((o["metadata"] as Obj)["name"]), (o["spec"] ?? {}) as Obj)),
    ];
    const workloads = live.objects.filter(
      (o) =>
        WORKLOAD_KINDS.includes(String(o["kind"])) &&
        (o["metadata"] as Obj)["namespace"] === ns &&
        !plannedKeys.has(
          objectKey(groupOf(o["apiVersion"]), String(o["kind"]), ns, String((o["metadata"] as Obj)["name"])),
        ),
    );
    const pods = live.objects.filter(
      (o) => o["kind"] === "Pod" && (o["metadata"] as Obj)["namespace"] === ns,
    );
    for (const w of workloads) {
      const labels = podLabels(w);
      const cut = denied.filter(
        (d) => !policies.some((p) => p.directions.includes(d) && p.allows[d] && selects(p.selector, labels)),
      );
      if (cut.length === 0) continue;
      const selector = ((w["spec"] as Obj)?.["selector"] ?? { matchLabels: labels }) as Obj;
      const running = pods.filter((p) =>
        selects(selector, ((p["metadata"] as Obj)["labels"] ?? {}) as Record<string, string>),
      ).length;
      const name = String((w["metadata"] as Obj)["name"]);
      out.push(
        finding(
          "network-policy",
          describeObject(String(w["kind"]), ns, name),
          "blocked",
          "blocker",
          `NetworkPolicy ${ns}/${deny.name} denies all ${cut.map((d) => d.toLowerCase()).join(" and ")} in ${ns}, and no policy allows it for this workload, which the program does not declare: ${running === 1 ? "its 1 running pod is" : `its ${running} running pods are`} cut off.`,
          {
            hint: `declare ${ns} shared (cluster.sharedNamespaces) so that it gets no namespace-wide default-deny, or move the workload out of ${ns} first`,
          },
        ),
      );
    }
  }
  return out;
}
