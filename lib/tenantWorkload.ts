/* Facts about a tenant workload that the config validation and the tenant components share. */

/** Environment variables carrying the model route: the program sets them from the route, never the stack. */
export const MODEL_ENV = { baseUrl: "LLM_BASE_URL", model: "LLM_MODEL" } as const;

/** Extended resource a GPU request counts against when a workload names none (NVIDIA's device plugin). */
export const DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";
