import * as pulumi from "@pulumi/pulumi";

/** A configuration problem, located by its path inside the project's config namespace. */
export interface ConfigIssue {
  /** Path such as `llm.routes[0].rules[1].backend` (the first segment is the Pulumi config key). */
  path: string;
  message: string;
  hint?: string;
}

export const CONFIG_NAMESPACE = "ai-platform";

export function formatIssue(issue: ConfigIssue): string {
  const hint = issue.hint ? ` (hint: ${issue.hint})` : "";
  // A key of another namespace is already a full key (paths inside the project namespace hold no colon).
  const key = issue.path.includes(":") ? issue.path : `${CONFIG_NAMESPACE}:${issue.path}`;
  return `${key}: ${issue.message}${hint}`;
}

/** Builds a path string from zod-style segments: ["llm", "routes", 0, "name"] -> llm.routes[0].name */
export function joinPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** Collects issues; rules call `add` and never throw, so that every problem is reported at once. */
export class IssueList {
  readonly items: ConfigIssue[] = [];
  add(path: string, message: string, hint?: string): void {
    this.items.push(hint === undefined ? { path, message } : { path, message, hint });
  }
}

/**
 * Thrown (before any resource is registered) when the stack configuration is invalid. A RunError, so that
 * `pulumi up` prints the list of problems without a stack trace and exits non-zero.
 */
export class ConfigValidationError extends pulumi.RunError {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `invalid stack configuration (${issues.length} error${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join("\n"),
    );
    this.name = "ConfigValidationError";
  }
}
