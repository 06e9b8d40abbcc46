import * as assert from "assert";
import * as path from "path";
import { rawConfigOf, readStackFile } from "../../recording/stackFile";
import { formatIssue } from "../../stacks/issues";
import { parsePlatformConfig } from "../../stacks/load";
import { applyFixture } from "./fixtures";

/* Adoption test helpers: a stack's own adoption block switched on with test values. */

export const SECRETS_FIXTURE = path.resolve(__dirname, "..", "fixtures", "adoption", "talos-secrets.yaml");
export const DNS_RECORD_ID = "0123456789abcdef0123456789abcdef";

/** rooster's pools and virtual servers as a Terraform state would name them (test values). */
const ROOSTER_VIPS = Object.fromEntries(
  ["solo-8080", "xai-8081", "mcp-8090", "model-8085", "github-8092"].map((key) => [
    key,
    { pool: `/Common/tf_${key}_pool`, virtualServer: `/Common/tf_${key}_vs` },
  ]),
);

/** The stack file's own adoption block, switched on with the fixture bundle and the values only a live system has. */
export function adoptionOn(stack: "rooster" | "homeops", extra: Record<string, unknown> = {}) {
  const block = JSON.parse(readStackFile(stack).config["ai-platform:adoption"]!) as Record<string, unknown>;
  const set: Record<string, unknown> = {
    "adoption.enabled": true,
    "adoption.talos.secretsFile": SECRETS_FIXTURE,
    ...extra,
  };
  if (stack === "rooster") {
    set["adoption.bigip.vips"] = structuredClone(ROOSTER_VIPS);
    set["adoption.bigip.monitor"] = "/Common/tf_nodeport_tcp";
    set["adoption.bigip.create"] = [];
  } else {
    set["adoption.cloudflare.dnsRecords"] = { ai: DNS_RECORD_ID };
  }
  assert.equal(block["enabled"], false, `${stack}: the committed adoption block is off`);
  return { base: stack, set };
}

export function issuesOf(edits: {
  base: string;
  set?: Record<string, unknown>;
  delete?: string[];
}): string[] {
  const { issues } = parsePlatformConfig(
    rawConfigOf(applyFixture({ file: "x.yaml", description: "", ...edits })),
  );
  return issues.map(formatIssue);
}
