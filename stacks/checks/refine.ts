import type { z } from "zod";

/** A zod refinement from a function that says what is wrong with a value (undefined when nothing is). */
export function problemCheck<T>(problem: (value: T) => string | undefined) {
  return (value: T, ctx: z.RefinementCtx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: "custom", message });
  };
}
