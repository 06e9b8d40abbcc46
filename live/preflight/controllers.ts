import { GATEWAY_API_GROUP, GATEWAY_CLASS } from "../../components/gateway/refs";
import type { PlannedState } from "../plan";
import { Finding, finding } from "./findings";
import { groupOf, KubernetesState } from "./liveState";
import { managedFieldsOf } from "./managedFields";
import { gitopsOwners } from "./owners";

/*
 * GatewayClasses the program's controller claims. The agentgateway v1.4.1 controller server-side applies
 * GatewayClass `agentgateway` with `controllerName: agentgateway.dev/agentgateway`
 * (agentgateway/agentgateway@v1.4.1 controller/pkg/controller/gatewayclass.go, controller/api/settings/settings.go),
 * and `spec.controllerName` is immutable (Gateway API v1.6.1 CRD, `self == oldSelf`): a class of that name
 * another controller owns is never reconciled by it, and neither are the Gateways of that class.
 */

type Obj = Record<string, unknown>;

/** Controller charts and the class each claims, by chart reference. */
const CLAIMED_CLASSES: ReadonlyArray<{ chart: RegExp; className: string; controllerName: string }> = [
  { chart: /(^|\/)agentgateway$/, className: GATEWAY_CLASS, controllerName: "agentgateway.dev/agentgateway" },
];

function describeOwner(cls: Obj, objects: readonly Obj[]): string {
  const meta = (cls["metadata"] ?? {}) as Obj;
  const annotations = (meta["annotations"] ?? {}) as Record<string, string>;
  const by: string[] = [];
  const release = annotations["meta.helm.sh/release-name"];
  if (release !== undefined)
    by.push(`Helm release ${annotations["meta.helm.sh/release-namespace"]}/${release}`);
  for (const o of gitopsOwners(
    cls,
    objects,
    managedFieldsOf(cls).map((e) => e.manager),
  ))
    by.push(`${o.owner} (${o.state})`);
  return by.length > 0 ? ` (installed by ${by.join(", ")})` : "";
}

export function controllerFindings(plan: PlannedState, live: KubernetesState): Finding[] {
  const classes = live.objects.filter(
    (o) => groupOf(o["apiVersion"]) === GATEWAY_API_GROUP && o["kind"] === "GatewayClass",
  );
  const gatewaysOf = (className: string) =>
    plan.objects
      .filter(
        (o) =>
          o.group === GATEWAY_API_GROUP &&
          o.kind === "Gateway" &&
          (o.manifest["spec"] as Obj | undefined)?.["gatewayClassName"] === className,
      )
      .map((o) => `${o.namespace}/${o.name}`);
  return plan.charts.flatMap((chart) =>
    CLAIMED_CLASSES.filter((c) => c.chart.test(chart.chart)).flatMap((claim) => {
      const object = `GatewayClass ${claim.className}`;
      const cls = classes.find((c) => (c["metadata"] as Obj)["name"] === claim.className);
      const gateways = gatewaysOf(claim.className);
      const of = gateways.length > 0 ? ` Gateways ${gateways.join(", ")}` : " its Gateways";
      if (cls === undefined)
        return [
          finding(
            "controllers",
            object,
            "create",
            "change",
            `the program's controller (release ${chart.release}) creates it for ${claim.controllerName}.`,
          ),
        ];
      const owner = String((cls["spec"] as Obj | undefined)?.["controllerName"] ?? "");
      if (owner === claim.controllerName)
        return [
          finding("controllers", object, "unchanged", "info", `held by ${owner}, the program's controller.`),
        ];
      return [
        finding(
          "controllers",
          object,
          "blocked",
          "blocker",
          `is owned by ${owner}${describeOwner(cls, live.objects)}; spec.controllerName is immutable, so the program's controller (release ${chart.release}, ${claim.controllerName}) never takes it, and${of} are not reconciled.`,
          {
            hint: `remove the old controller, then delete the class (kubectl delete gatewayclass ${claim.className}) before the run; the program's controller creates it again`,
          },
        ),
      ];
    }),
  );
}
