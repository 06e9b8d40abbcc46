import { z } from "zod";
import {
  dnsLabel,
  imageKey,
  labels,
  pathPrefix,
  port,
  quantity,
  resourcesSchema,
  secretName,
  urlString,
} from "../fields";
import { invariant } from "../checks/refine";
import { DEFAULT_GPU_RESOURCE, MODEL_ENV } from "../../lib/tenantWorkload";

/* The schema of one tenant workload (the tenant layer's schema and rules are in ./tenants.ts). */

/** A whole-number percentage of the request; its lower bound is an invariant of autoscaling so that the message names the field. */
const percentage = z.number().int();
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "must be an environment variable name" });
export const cpuMemory = z.strictObject({ cpu: quantity, memory: quantity });

export const tenantWorkloadSchema = z
  .strictObject({
    name: dnsLabel,
    /** `agent` workloads reach their model through the AI gateway; `service` workloads have no model. */
    kind: z.enum(["agent", "service"]).default("service"),
    image: imageKey,
    /** Container arguments; the image's own arguments when empty. */
    args: z.array(z.string()).default([]),
    /** LLM access through an AI gateway route (never a provider key): the URL goes into LLM_BASE_URL. */
    model: z
      .strictObject({
        /** Model name passed to the gateway (LLM_MODEL). */
        name: z.string().min(1),
        /** LLM route (llm.routes) whose gateway serves the model. */
        route: dnsLabel,
        /** Path prefix of one of the route's rules. */
        pathPrefix,
      })
      .optional(),
    /** HTTP port serving the API, /health and /metrics (named "http"). */
    port: port.default(8080),
    healthPath: pathPrefix.default("/health"),
    env: z.record(envName, z.string()).default({}),
    /** Environment variables filled from secrets (env name -> secret name). */
    secretEnv: z.record(envName, secretName).default({}),
    /** Workloads of the same tenant this one calls (NetworkPolicy ingress on theirs, egress on this one). */
    calls: z.array(dnsLabel).default([]),
    replicas: z.number().int().min(1).default(1),
    resources: resourcesSchema.default({
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "500m", memory: "512Mi" },
    }),
    /** HorizontalPodAutoscaler, or a KEDA ScaledObject (which owns its own HPA) when keda is set. */
    autoscaling: z
      .strictObject({
        minReplicas: z.number().int().min(1),
        maxReplicas: z.number().int().min(1),
        targetCPUUtilizationPercentage: percentage,
        targetMemoryUtilizationPercentage: percentage.optional(),
        keda: z
          .strictObject({
            /** Prometheus base URL KEDA queries. */
            serverAddress: urlString,
            /** PromQL returning a single value. */
            query: z.string().min(1),
            /** Per-replica target value of the query. */
            threshold: z.number().positive(),
          })
          .optional(),
      })
      .check(
        invariant("autoscaling-range", (a, problems) => {
          if (a.minReplicas > a.maxReplicas)
            problems.add(
              ["maxReplicas"],
              `${a.maxReplicas} is below minReplicas ${a.minReplicas}`,
              "maxReplicas must be at least minReplicas",
            );
          const targets = [
            ["targetCPUUtilizationPercentage", a.targetCPUUtilizationPercentage],
            ["targetMemoryUtilizationPercentage", a.targetMemoryUtilizationPercentage],
          ] as const;
          for (const [field, value] of targets) {
            // Utilization is relative to the request and may exceed 100; only < 1 is refused
            // (kubernetes/kubernetes@v1.36: pkg/apis/autoscaling/validation/validation.go, validateMetricTarget).
            if (value !== undefined && value < 1)
              problems.add([field], `must be at least 1 (percent of the request), not ${value}`);
          }
        }),
      )
      .optional(),
    /** VerticalPodAutoscaler (autoscaling.k8s.io/v1); `Off` only records recommendations. */
    vpa: z
      .strictObject({
        updateMode: z.enum(["Off", "Initial", "Recreate", "InPlaceOrRecreate"]).default("Off"),
        minAllowed: cpuMemory.optional(),
        maxAllowed: cpuMemory.optional(),
      })
      .optional(),
    gpu: z
      .strictObject({
        count: z.number().int().min(1),
        /** Extended resource name of the device plugin. */
        resource: z.string().min(1).default(DEFAULT_GPU_RESOURCE),
        nodeSelector: labels.default({}),
        tolerations: z
          .array(
            z.strictObject({
              key: z.string().min(1),
              operator: z.enum(["Exists", "Equal"]).default("Exists"),
              value: z.string().optional(),
              effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
            }),
          )
          .default([]),
      })
      .optional(),
    /** A ServiceMonitor scraping /metrics on the http port. */
    serviceMonitor: z.boolean().default(true),
  })
  .check(
    invariant("agent-model", (w, problems) => {
      if (w.kind === "agent" && w.model === undefined)
        problems.add(
          ["model"],
          "an agent needs a model",
          "set model.route and model.pathPrefix to an LLM route",
        );
      for (const env of Object.values(MODEL_ENV)) {
        for (const field of ["env", "secretEnv"] as const) {
          if (w.model !== undefined && env in w[field])
            problems.add([field, env], "is set from the model route", `remove ${env}`);
        }
      }
    }),
  )
  .check(
    invariant("self-call", (w, problems) =>
      w.calls.forEach((callee, k) => {
        if (callee === w.name) problems.add(["calls", k], "a workload cannot call itself");
      }),
    ),
  )
  .check(
    // VPA and HPA must not act on the same CPU/memory metrics
    // (kubernetes/autoscaler:vertical-pod-autoscaler/README.md, known limitations).
    invariant("vpa-with-hpa", (w, problems) => {
      if (w.vpa !== undefined && w.vpa.updateMode !== "Off" && w.autoscaling !== undefined)
        problems.add(
          ["vpa", "updateMode"],
          `${w.vpa.updateMode} resizes pods that autoscaling also scales on CPU and memory`,
          'use updateMode: "Off" (recommendations only) with autoscaling',
        );
    }),
  );
