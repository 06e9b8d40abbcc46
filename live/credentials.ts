import { execFile } from "child_process";

/*
 * Credentials for the snapshot come from the operator's own tools: an environment variable named as the
 * provider reads it (BIGIP_HOST, CLOUDFLARE_API_TOKEN, ...), else the stack's `op://` reference read with the
 * 1Password CLI (`op read`). A `config:` reference is a Pulumi secret, which only the Pulumi CLI decrypts: its
 * environment variable is then required.
 */

/** Reads a 1Password secret reference (`op read --no-newline op://...`). */
export type OpReader = (ref: string) => Promise<string>;

export const opRead: OpReader = (ref) =>
  new Promise((resolve, reject) => {
    execFile("op", ["read", "--no-newline", ref], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err === null) return resolve(stdout);
      const reason = String(stderr).trim().split("\n").pop() || err.message;
      reject(new Error(`op read ${ref}: ${reason}`));
    });
  });

export interface CredentialSource {
  /** Environment variable that wins when set. */
  env: string;
  /** The stack's secret reference for the value, if it names one. */
  ref?: string;
}

/** One credential: the environment variable, else the 1Password reference; an error says which to set. */
export async function credential(
  source: CredentialSource,
  env: NodeJS.ProcessEnv,
  op: OpReader,
): Promise<string> {
  const fromEnv = env[source.env];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (source.ref?.startsWith("op://")) return op(source.ref);
  const why =
    source.ref === undefined ? "the stack names no secret for it" : `${source.ref} needs the Pulumi CLI`;
  throw new Error(`set ${source.env} (${why})`);
}
