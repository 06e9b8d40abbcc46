import type * as pulumi from "@pulumi/pulumi";

/** Resolved secret values handed to a component, keyed by the secret's name in the stack config. */
export type ResolvedSecrets = Record<string, pulumi.Input<string>>;

/**
 * The value of a secret the component was given. The caller resolves exactly the names the component reads,
 * so a miss is a wiring bug; `use` says which setting needed it.
 */
export function resolvedSecret(secrets: ResolvedSecrets, name: string, use: string): pulumi.Input<string> {
  const value = secrets[name];
  if (value === undefined) throw new Error(`${use}: secret "${name}" was not resolved`);
  return value;
}
