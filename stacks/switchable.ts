import { z } from "zod";

/**
 * A layer switched by `enabled`: when on, the whole schema applies; when off, no other field is required
 * (fields that are given must still be valid, so a layer can be switched off without deleting its block).
 */
export function switchable<Shape extends z.ZodRawShape & { enabled: z.ZodBoolean }>(
  schema: z.ZodObject<Shape, z.core.$strict>,
) {
  return z.discriminatedUnion("enabled", [
    schema.extend({ enabled: z.literal(true) }),
    schema.partial().extend({ enabled: z.literal(false) }),
  ]);
}
