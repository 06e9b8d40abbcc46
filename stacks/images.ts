import { z } from "zod";
import { images, isImageKey } from "../lib/versions";
import { referenceHint } from "./hints";
import type { IssueList } from "./issues";
import type { PartialConfig } from "./rules";

/*
 * Images a stack names itself. The catalog in lib/versions.ts holds only images whose exact tag an
 * upstream workflow or release publishes; a component that upstream does not publish is run from an image the
 * stack names (`{repository, tag}`): the team's own build, or a third-party image whose contract was checked.
 */

/** An image named by the stack: repository (registry/path) and an immutable release tag (never `latest`). */
const stackImageSchema = z.strictObject({
  repository: z.string().regex(/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._/-][a-z0-9]+)*)+$/, {
    error: "must be an image repository like registry.example.com/team/name",
  }),
  tag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be an image tag" })
    .refine((t) => t !== "latest", { error: "must be a release tag, not latest" }),
});

/** A catalog key (lib/versions.ts) or an image the stack names. */
export const imageSourceSchema = z.union([z.string().min(1), stackImageSchema]);

type StackImage = z.infer<typeof stackImageSchema>;

/**
 * Components that have no published image, by the catalog key they once had: naming one of these keys gets a
 * hint saying what to name instead.
 */
export const UNPUBLISHED: Record<string, string> = {
  // The release workflow builds controller, ui, app, golang-adk and skills-init only
  // (kagent-dev/kagent@v0.9.12:.github/workflows/tag.yaml, Makefile); the bot lives only on the unmerged
  // branch kagent-dev/kagent@b98cf4d2:slackbot/.
  kagentSlackBot:
    "kagent publishes no Slack bot image: build kagent-dev/kagent@b98cf4d2:slackbot/Dockerfile and name it as { repository, tag }",
  // excalidraw/excalidraw-mcp publishes only `latest` and `sha-<commit>` tags from pushes to main
  // (.github/workflows/docker-publish.yml) and no release; no sha tag of it is confirmed.
  mcpExcalidraw:
    "excalidraw/excalidraw-mcp publishes no release image: build it and name it as { repository, tag }",
};

/** The hint for an image key that is not in the catalog. */
export function unknownImageHint(key: string): string {
  return UNPUBLISHED[key] ?? referenceHint(key, Object.keys(images), "image");
}

/** Adds an issue when `source` is a string that names no catalog entry. */
function checkSource(issues: IssueList, path: string, source: string | StackImage): void {
  if (typeof source === "string" && !isImageKey(source)) {
    issues.add(path, `unknown image "${source}"`, unknownImageHint(source));
  }
}

/** Image references of MCP servers and of the Slack bot. */
export function imageRules(c: PartialConfig, issues: IssueList): void {
  c.mcp?.servers.forEach((s, i) => {
    if (s.kind === "inCluster") checkSource(issues, `mcp.servers[${i}].image`, s.image);
  });
  const bot = c.kagent?.slackBot;
  if (bot?.image !== undefined) checkSource(issues, "kagent.slackBot.image", bot.image);
  else if (bot !== undefined && bot.enabled) {
    issues.add(
      "kagent.slackBot.image",
      "is required when the Slack bot is enabled",
      UNPUBLISHED["kagentSlackBot"],
    );
  }
}
