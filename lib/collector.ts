/*
 * The OpenTelemetry collector's endpoints in one typed form: the OTLP receiver's gRPC and HTTP ports
 * (opentelemetry-collector receiver/otlpreceiver defaults, the ports the collector chart values open) and the
 * Service its clients address. The observability layer publishes them; gateway egress, gateway tracing
 * policies and kagent's exporter all read this one form.
 */

export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;

export interface CollectorEndpoints {
  /** The collector Service (a policy backendRef). */
  service: { name: string; namespace: string };
  /** Labels of the collector pods (a NetworkPolicy peer). */
  pods: Record<string, string>;
  grpcPort: number;
  httpPort: number;
  /** `http://<service>.<namespace>.svc.cluster.local:4317`: the OTLP/gRPC URL (kagent's exporter endpoint). */
  grpcUrl: string;
}

export function collectorEndpoints(collector: { name: string; namespace: string }): CollectorEndpoints {
  const { name, namespace } = collector;
  return {
    service: { name, namespace },
    pods: collectorPodLabels(name),
    grpcPort: OTLP_GRPC_PORT,
    httpPort: OTLP_HTTP_PORT,
    grpcUrl: `http://${name}.${namespace}.svc.cluster.local:${OTLP_GRPC_PORT}`,
  };
}

/**
 * Labels of the collector chart's pods for a release (the chart's selectorLabels plus the component of
 * deployment mode: open-telemetry/opentelemetry-helm-charts opentelemetry-collector templates/_helpers.tpl
 * opentelemetry-collector.selectorLabels and .component; the release is installed without nameOverride).
 */
export function collectorPodLabels(release: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "opentelemetry-collector",
    "app.kubernetes.io/instance": release,
    component: "standalone-collector",
  };
}
