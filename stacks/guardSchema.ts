import { z } from "zod";

/**
 * Response-side settings of a credentialProtection item. v1.4.1 does not mask streamed responses
 * (agentgateway/agentgateway@v1.4.1:crates/agentgateway/src/llm/policy/mod.rs, "streaming masking is not
 * supported"), and runs response guards on streams only with `promptGuard.streaming: Enabled` (default off,
 * controller/api/v1alpha1/agentgateway/ai_policy.go). So a credential echoed in a streamed response can only
 * be stopped by rejecting the stream, which is what `responseAction: Reject` with `streaming: true` does.
 */
export const streamingGuardFields = {
  /** What a response that contains a credential gets: masked (buffered responses only) or rejected. */
  responseAction: z.enum(["Mask", "Reject"]).default("Mask"),
  /** Also check streamed responses (sets `promptGuard.streaming: Enabled` on every target of the item). */
  streaming: z.boolean().default(false),
};
