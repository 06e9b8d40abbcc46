import { z } from "zod";
import { ImageKey, images } from "../lib/versions";
import { problemCheck } from "./checks/refine";
import { memoryInMillibytes, requestsAboveLimits } from "./checks/resources";
import { unknownImageHint } from "./images";
import { valueHints } from "./zodIssues";
import { DNS1123_LABEL } from "../lib/kubernetesNames";
import { cidrProblem, ipv4Problem } from "../lib/net";
import { quantityValue } from "../lib/quantity";

/* Field types shared by the layer schemas (./layerRules/). */

export const dnsLabel = z.string().max(63, { error: "must be at most 63 characters" }).regex(DNS1123_LABEL, {
  error: "must be a DNS-1123 label (lower-case letters, digits, '-')",
});
export const ipv4 = z.string().superRefine(problemCheck(ipv4Problem));
export const cidr = z.string().superRefine(problemCheck(cidrProblem));
export const port = z
  .number()
  .int()
  .min(1, { error: "must be a port in 1-65535" })
  .max(65535, { error: "must be a port in 1-65535" });
export const nodePort = z
  .number()
  .int()
  .min(30000, { error: "must be a NodePort in 30000-32767" })
  .max(32767, { error: "must be a NodePort in 30000-32767" });
export const duration = z
  .string()
  .regex(/^[0-9]+(ms|s|m|h)$/, { error: "must be a duration like 500ms, 30s, 5m or 1h" });
export const hostname = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, { error: "must be a fully qualified DNS name" });
export const urlString = z.string().regex(/^https?:\/\/[^\s]+$/, { error: "must be an http(s) URL" });
export const pathPrefix = z
  .string()
  .regex(/^\/[^\s]*$/, { error: "must be an absolute path starting with '/'" });
/** Fields that name an entry of `secrets`: the secret walker (./secretFields.ts) finds them by this mark. */
export const secretFields = z.registry<{ description: string }>();
/** Name of an entry in `secrets`; checked to resolve by ./secretFields.ts, whatever layer it is in. */
export const secretName = z
  .string()
  .min(1)
  .register(secretFields, { description: "name of an entry in secrets" });
/**
 * Key of an entry in the pinned image catalog (lib/versions.ts): an enum of the catalog's keys, so the parsed
 * type is their union; an unknown key gets a "did you mean" or says what to name instead.
 */
export const imageKey = z
  .enum(Object.keys(images) as [ImageKey, ...ImageKey[]], {
    error: (issue) => `unknown image ${JSON.stringify(issue.input)}`,
  })
  .register(valueHints, { hint: unknownImageHint });
/**
 * A resource quantity as the API server parses it (lib/quantity.ts: decimal `16G`, binary `16Gi`, milli `500m`,
 * exponent `1e3`, a bare number); requests, limits and quotas may not be negative
 * (kubernetes/kubernetes@v1.36: pkg/apis/core/validation/validation.go, ValidateNonnegativeQuantity).
 */
export const quantity = z.preprocess(
  // A bare YAML number (`cpu: 2`) is a quantity too: the API server takes a JSON number for one.
  (v) => (typeof v === "number" ? String(v) : v),
  z.string().superRefine(
    problemCheck((q: string) => {
      const value = quantityValue(q);
      if (value === undefined) return "must be a quantity like 100m, 128Mi or 1G";
      return value < 0 ? "must not be negative" : undefined;
    }),
  ),
);
export const labels = z.record(z.string(), z.string());

export const resourcesSchema = z
  .strictObject({
    requests: z.strictObject({ cpu: quantity, memory: quantity }),
    limits: z.strictObject({ cpu: quantity, memory: quantity }),
  })
  .check(requestsAboveLimits, memoryInMillibytes);
