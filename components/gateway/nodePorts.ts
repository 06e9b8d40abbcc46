import type { ExposureConfig } from "../../stacks/schema";

/** Listener port -> NodePort of one gateway. */
export type NodePortMap = Record<number, number>;

/**
 * The fixed NodePorts of a gateway's listeners, read from the exposure table: the single source shared with
 * the BIG-IP pools, so the Service and the pool members cannot disagree. Disabled exposures and exposures of
 * other targets are ignored; a listener port exposed twice keeps its first NodePort (the config rules reject
 * the duplicate).
 */
export function nodePortsFor(gatewayName: string, exposures: readonly ExposureConfig[]): NodePortMap {
  const out: NodePortMap = {};
  for (const e of exposures) {
    if (!e.enabled || e.bigip === undefined || !("gateway" in e.target) || e.target.gateway !== gatewayName)
      continue;
    for (const p of e.bigip.ports) if (out[p.port] === undefined) out[p.port] = p.nodePort;
  }
  return out;
}

/** `nodePortsFor` for every gateway name given, keyed by gateway name. */
export function nodePortsByGateway(
  gatewayNames: readonly string[],
  exposures: readonly ExposureConfig[],
): Record<string, NodePortMap> {
  return Object.fromEntries(gatewayNames.map((g) => [g, nodePortsFor(g, exposures)]));
}
