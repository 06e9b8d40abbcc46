import { z } from "zod";
import { images, isImageKey } from "../lib/versions";
import { referenceHint } from "./hints";
import { invariant } from "./checks/refine";

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

/** A string naming an image is a key of the catalog; an unknown one gets a hint of what to name instead. */
const catalogKey = invariant<string>("image-catalog-key", (key, problems) => {
  if (!isImageKey(key)) problems.add([], `unknown image "${key}"`, unknownImageHint(key));
});

/** A catalog key (lib/versions.ts) or an image the stack names. */
export const imageSourceSchema = z.union([z.string().min(1).check(catalogKey), stackImageSchema]);

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

/** kagent publishes no Slack bot image, so an enabled bot needs the stack to name one (an invariant of slackBot). */
export const slackBotImage = invariant<{ enabled: boolean; image?: unknown }>(
  "slack-bot-image",
  (bot, problems) => {
    if (bot.enabled && bot.image === undefined)
      problems.add(["image"], "is required when the Slack bot is enabled", UNPUBLISHED["kagentSlackBot"]);
  },
);
