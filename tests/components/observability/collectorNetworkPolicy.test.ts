import { strict as assert } from "assert";
import fc from "fast-check";
import { OTLP_GRPC_PORT, OTLP_HTTP_PORT } from "../../../lib/collector";
import {
  COLLECTOR_METRICS_PORT,
  collectorEgressTargets,
  collectorNetworkPolicySpec,
  OtlpExporterConfig,
} from "../../../components/observability/collector";
import { allows, Connection, Endpoint } from "../../support/networkPolicy";

/*
 * The collector's NetworkPolicy admits exactly its OTLP clients, the Prometheus scraper, cluster DNS and the
 * destinations of its exporters, checked against the NetworkPolicy evaluator for any exporters and connection.
 */

const NAMESPACES = ["observability", "agentgateway-system", "kagent", "monitoring", "tempo", "kube-system"];
const EXPORTERS: Record<string, { host: string; port: number; protocol: "grpc" | "http" }> = {
  service: { host: "tempo.tempo.svc.cluster.local", port: 4317, protocol: "grpc" },
  ip: { host: "172.16.10.173", port: 3000, protocol: "http" },
  name: { host: "otlp.example.com", port: 4318, protocol: "http" },
};

const exportersArb = fc.subarray(Object.keys(EXPORTERS)).map((names) =>
  names.map((name): OtlpExporterConfig => {
    const e = EXPORTERS[name]!;
    const endpoint = e.protocol === "grpc" ? `${e.host}:${e.port}` : `http://${e.host}:${e.port}`;
    return { name, endpoint, protocol: e.protocol, insecure: true };
  }),
);
const endpointArb: fc.Arbitrary<Endpoint> = fc.oneof(
  fc.record({
    kind: fc.constant("pod" as const),
    namespace: fc.constantFrom(...NAMESPACES),
    labels: fc.constantFrom<Record<string, string>>({}, { "k8s-app": "kube-dns" }),
  }),
  fc.record({ kind: fc.constant("external" as const), ip: fc.constantFrom("172.16.10.173", "8.8.8.8") }),
);
const connectionArb: fc.Arbitrary<Connection> = fc.record({
  endpoint: endpointArb,
  port: fc.constantFrom(53, 3000, OTLP_GRPC_PORT, OTLP_HTTP_PORT, COLLECTOR_METRICS_PORT),
  protocol: fc.constantFrom("TCP" as const, "UDP" as const),
});

describe("observability/collector: the collector NetworkPolicy admits exactly its clients and exporters", () => {
  it("for any exporters and any connection", () => {
    fc.assert(
      fc.property(
        exportersArb,
        fc.subarray(["agentgateway-system", "kagent"], { minLength: 1 }),
        connectionArb,
        (exporters, clients, c) => {
          const spec = collectorNetworkPolicySpec(
            "otel",
            clients,
            "monitoring",
            collectorEgressTargets(undefined, exporters),
          );
          const e = c.endpoint;
          const tcp = c.protocol === "TCP";
          const pod = (ns: string) => e.kind === "pod" && e.namespace === ns;
          assert.equal(
            allows(spec, "Ingress", c, "observability"),
            tcp &&
              ((clients.some(pod) && (c.port === OTLP_GRPC_PORT || c.port === OTLP_HTTP_PORT)) ||
                (pod("monitoring") && c.port === COLLECTOR_METRICS_PORT)),
          );
          const sent = exporters.some((x) => {
            const target = EXPORTERS[x.name]!;
            if (!tcp || c.port !== target.port) return false;
            if (x.name === "service") return pod("tempo");
            if (x.name === "ip") return e.kind === "external" && e.ip === target.host;
            // A DNS name: NetworkPolicy cannot name it, so any destination on its port.
            return true;
          });
          const dns =
            c.port === 53 && pod("kube-system") && e.kind === "pod" && e.labels["k8s-app"] === "kube-dns";
          assert.equal(allows(spec, "Egress", c, "observability"), dns || sent);
        },
      ),
      { numRuns: 300 },
    );
  });
});
