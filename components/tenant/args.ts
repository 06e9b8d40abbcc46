import type { AddressBook } from "../../lib/addressBook";
import type { ImageKey } from "../../lib/versions";
import type { Resources, Toleration } from "../workload";

/*
 * What the tenant components read of the platform config: the composition passes the validated config
 * objects, which fit these shapes structurally.
 */

/** CPU and memory quantities, e.g. `{ cpu: "100m", memory: "128Mi" }`. */
export interface CpuMemory {
  cpu: string;
  memory: string;
}

/** HorizontalPodAutoscaler settings, or a KEDA ScaledObject when `keda` is set. */
export interface AutoscalingConfig {
  minReplicas: number;
  maxReplicas: number;
  targetCPUUtilizationPercentage: number;
  targetMemoryUtilizationPercentage?: number;
  /** Prometheus trigger: base URL KEDA queries, PromQL returning one value, per-replica target. */
  keda?: { serverAddress: string; query: string; threshold: number };
}

/** VerticalPodAutoscaler settings. */
export interface VpaConfig {
  updateMode: "Off" | "Initial" | "Recreate" | "InPlaceOrRecreate";
  minAllowed?: CpuMemory;
  maxAllowed?: CpuMemory;
}

/** GPU request and placement. */
export interface GpuConfig {
  count: number;
  /** Extended resource name of the device plugin. */
  resource: string;
  nodeSelector: Record<string, string>;
  tolerations: readonly Toleration[];
}

/** An agent's model: the name passed to the gateway and the LLM route rule serving it. */
export interface WorkloadModel {
  /** Model name passed to the gateway (LLM_MODEL). */
  name: string;
  /** LLM route name. */
  route: string;
  /** Path prefix of one of the route's rules. */
  pathPrefix: string;
}

/** One tenant workload. */
export interface TenantWorkload {
  name: string;
  /** `agent` workloads reach their model through the AI gateway; `service` workloads have no model. */
  kind: "agent" | "service";
  /** Image key in the version catalog. */
  image: ImageKey;
  /** Container arguments; the image's own arguments when empty. */
  args: string[];
  model?: WorkloadModel;
  /** HTTP port serving the API, /health and /metrics. */
  port: number;
  healthPath: string;
  env: Record<string, string>;
  /** Env name -> secret name. */
  secretEnv: Record<string, string>;
  /** Workloads of the same tenant this one calls. */
  calls: readonly string[];
  replicas: number;
  resources: Resources;
  autoscaling?: AutoscalingConfig;
  vpa?: VpaConfig;
  gpu?: GpuConfig;
  /** A ServiceMonitor scraping /metrics on the http port. */
  serviceMonitor: boolean;
}

/** A tenant: its namespace name, quota, container limits, admins, cost center, gateways and workloads. */
export interface TenantSpec {
  /** Namespace name. */
  name: string;
  /** Groups bound to the tenant admin Role. */
  adminGroups: readonly string[];
  /** ResourceQuota: requests (and optional limits) of CPU and memory, pods, GPUs. */
  quota: {
    cpu: string;
    memory: string;
    limitsCpu?: string;
    limitsMemory?: string;
    pods: number;
    gpus: number;
  };
  /** LimitRange container defaults and bounds. */
  limits: { defaultRequest: CpuMemory; default: CpuMemory; max?: CpuMemory };
  costCenter?: string;
  /** Gateways whose MCP routes the tenant's pods may call. */
  mcpGateways: readonly string[];
  workloads: readonly TenantWorkload[];
}

/**
 * What tenants read of the gateway layer's address book: the proxies' namespace, each gateway's plain-HTTP
 * ports (MCP gateways) and each LLM route's listener and URLs (agents' models).
 */
export type TenantAddresses = Pick<AddressBook, "namespace" | "gateways" | "llmRoutes">;
