import type { CrossRule } from ".";
import type { ConfigIndex, LayerKey } from "./configIndex";

/*
 * References from an enabled layer into a disabled one: the referenced object is never created, so the
 * reference would point at nothing in the cluster (an agent whose model route is on a disabled llm layer
 * answers every request with an error).
 */

interface Reference {
  path: string;
  target: LayerKey;
  what: string;
}

function references({ config, enabled }: ConfigIndex): Reference[] {
  const out: Reference[] = [];
  if (enabled("kagent")) {
    config.kagent?.modelConfigs.forEach((m, i) =>
      out.push({ path: `kagent.modelConfigs[${i}].route`, target: "llm", what: `LLM route "${m.route}"` }),
    );
    if (config.kagent?.telemetry.enabled)
      out.push({ path: "kagent.telemetry.enabled", target: "observability", what: "the trace collector" });
  }
  if (enabled("tenants"))
    config.tenants?.items.forEach((t, i) => {
      t.workloads.forEach((w, j) => {
        if (w.model !== undefined)
          out.push({
            path: `tenants.items[${i}].workloads[${j}].model.route`,
            target: "llm",
            what: `LLM route "${w.model.route}"`,
          });
      });
      t.mcpGateways.forEach((g, j) =>
        out.push({
          path: `tenants.items[${i}].mcpGateways[${j}]`,
          target: "agentgateway",
          what: `gateway "${g}"`,
        }),
      );
    });
  config.exposures?.forEach((e, i) => {
    if (e.enabled && "gateway" in e.target)
      out.push({
        path: `exposures[${i}].target.gateway`,
        target: "agentgateway",
        what: `gateway "${e.target.gateway}"`,
      });
  });
  if (enabled("policies"))
    config.policies?.items.forEach((p, i) => {
      if (p.enabled && (p.type === "mcpAuthorization" || p.type === "elicitation"))
        p.targets.forEach((t, j) =>
          out.push({
            path: `policies.items[${i}].targets[${j}].name`,
            target: "mcp",
            what: `MCP server "${t.name}"`,
          }),
        );
    });
  return out;
}

const disabledLayerReference: CrossRule = {
  id: "disabled-layer-reference",
  check(index, issues) {
    for (const r of references(index)) {
      if (index.enabled(r.target) !== false) continue;
      issues.add(
        r.path,
        `${r.what} belongs to the ${r.target} layer, which is disabled`,
        `enable ${r.target}, or remove this reference`,
      );
    }
  },
};

export const layerRules: CrossRule[] = [disabledLayerReference];
