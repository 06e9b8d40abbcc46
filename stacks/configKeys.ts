import { closest } from "./hints";
import { CONFIG_NAMESPACE, ConfigIssue } from "./issues";

/**
 * Config namespaces a stack file may use besides the project's own: those of the providers this program
 * configures, and Pulumi's. A key in any other namespace is read by nothing, so a misspelled project
 * namespace (`ai-plaform:exposures`) would silently drop that whole layer.
 */
export const KNOWN_NAMESPACES = [
  CONFIG_NAMESPACE,
  "kubernetes",
  "cloudflare",
  "onepassword",
  "talos",
  "f5bigip",
  "pulumi",
] as const;

/** An issue for every full config key (`namespace:key`) whose namespace nothing reads. */
export function foreignKeyIssues(fullKeys: Iterable<string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const fullKey of fullKeys) {
    const i = fullKey.indexOf(":");
    const namespace = i < 0 ? "" : fullKey.slice(0, i);
    if ((KNOWN_NAMESPACES as readonly string[]).includes(namespace)) continue;
    const match = closest(namespace, KNOWN_NAMESPACES);
    issues.push({
      path: fullKey,
      message: `unknown config namespace "${namespace}": nothing reads this key`,
      hint: match
        ? `did you mean "${match}:${fullKey.slice(i + 1)}"?`
        : `namespaces: ${KNOWN_NAMESPACES.join(", ")}`,
    });
  }
  return issues;
}
