import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { images } from "../../lib/versions";
import { PROJECT_ROOT } from "../../recording/stackFile";
import { UNPUBLISHED } from "../../stacks/images";
import type { Recording } from "../../recording/runtime";
import {
  configIssues,
  gatewayConfig,
  kagentConfig,
  llmConfig,
  mcpConfig,
  mcpServer,
  secrets,
} from "../support/builders";
import { stackConfig } from "../support/stacks";
import { byType, recordedStack } from "../support/record";

/*
 * Only published images run. kagent v0.9.12 releases controller, ui, app, golang-adk and skills-init images and
 * no Slack bot (kagent-dev/kagent@v0.9.12:.github/workflows/tag.yaml, Makefile); the bot exists only on the
 * unmerged branch kagent-dev/kagent@b98cf4d2:slackbot/. excalidraw/excalidraw-mcp pushes `latest`/`sha-*` tags from
 * main only (.github/workflows/docker-publish.yml), none of them a release.
 */

/** The comment lines above each entry of the `images` catalog in lib/versions.ts. */
function catalogComments(): Record<string, string> {
  const source = fs.readFileSync(path.join(PROJECT_ROOT, "lib", "versions.ts"), "utf8");
  const body = source.slice(source.indexOf("export const images = {"));
  const out: Record<string, string> = {};
  let comment: string[] = [];
  for (const line of body.split("\n").slice(1)) {
    const trimmed = line.trim();
    if (trimmed.startsWith("//")) comment.push(trimmed);
    const key = /^([A-Za-z0-9]+): \{/.exec(trimmed);
    if (key !== null) {
      out[key[1]!] = comment.join(" ");
      comment = [];
    }
    if (trimmed.startsWith("} as const")) break;
  }
  return out;
}

/** Images the internal registry carries: the team's own builds, which no upstream publishes. */
const OWN_REGISTRY = "registry.a1.internal/";

describe("images: only published images run", () => {
  let rooster: Recording;
  before(async () => {
    rooster = await recordedStack("rooster");
  });

  it("cites, for every upstream image pin, the workflow or release that publishes that tag", () => {
    const comments = catalogComments();
    assert.deepEqual(Object.keys(comments).sort(), Object.keys(images).sort());
    for (const [key, pin] of Object.entries(images)) {
      if (pin.repository.startsWith(OWN_REGISTRY)) continue;
      assert.match(
        comments[key]!,
        /\.github\/workflows\/|\.gitlab-ci\.yml|official-images/,
        `${key} (${pin.repository}:${pin.tag}) cites what publishes it`,
      );
    }
  });

  it("keeps images upstream does not publish out of the catalog", () => {
    for (const key of Object.keys(UNPUBLISHED)) assert.ok(!(key in images), key);
    for (const pin of Object.values(images)) {
      assert.notEqual(pin.repository, "ghcr.io/kagent-dev/kagent/slackbot");
      // sha-<commit> tags come from pushes to a branch, not from a release.
      assert.doesNotMatch(pin.tag, /^sha-/, pin.repository);
    }
  });

  // The production stack's own choice of images (its own builds for what upstream does not publish).
  it("runs the Slack bot and the Excalidraw server from the images rooster names", () => {
    const config = stackConfig("rooster");
    const named = [
      config.kagent.slackBot!.image!,
      ...config.mcp.servers.flatMap((s) => (s.kind === "inCluster" ? [s.image] : [])),
    ].flatMap((i) => (typeof i === "string" ? [] : [`${i.repository}:${i.tag}`]));
    assert.equal(named.length, 2);
    const running = byType(rooster, "kubernetes:apps/v1:Deployment").flatMap((d) =>
      (
        (d.inputs["spec"] as Record<string, unknown>)["template"] as {
          spec: { containers: Array<{ image: string }> };
        }
      ).spec.containers.map((c) => c.image),
    );
    for (const image of named) assert.ok(running.includes(image), image);
    for (const image of running) {
      assert.doesNotMatch(image, /kagent-dev\/kagent\/slackbot|excalidraw\/excalidraw-mcp/, image);
    }
  });

  // rooster's own layout: its Slack bot token reaches one MCP server only.
  it("runs no kmcp MCPServer, so only the Slack bot and the agents' Slack MCP server hold the bot token", () => {
    assert.deepEqual(
      rooster.resources.filter((r) => r.type === "kubernetes:kagent.dev/v1alpha1:MCPServer"),
      [],
    );
    const config = stackConfig("rooster");
    const holders = config.mcp.servers.filter(
      (s) =>
        s.kind === "inCluster" && Object.values(s.secretEnv).includes(config.kagent.slackBot!.botTokenSecret),
    );
    assert.deepEqual(
      holders.map((s) => s.name),
      ["slack"],
    );
    // ...and that server is the one an agent uses.
    const used = config.kagent.agents.flatMap((a) =>
      a.tools.map((t) => config.kagent.remoteMcpServers.find((r) => r.name === t.remoteMcpServer)!.server),
    );
    assert.ok(used.includes("slack"));
  });

  const slackBot = (image: string | { repository: string; tag: string }) => [
    gatewayConfig(),
    llmConfig(),
    kagentConfig({
      slackBot: {
        enabled: true,
        image,
        botTokenSecret: "slack-bot",
        appTokenSecret: "slack-app",
        signingSecret: "slack-signing",
        agent: "helper",
      },
    }),
    secrets("slack-bot", "slack-app", "slack-signing"),
  ];

  it("says which image to name when the stack names an unpublished one", () => {
    assert.deepEqual(configIssues(...slackBot("kagentSlackBot")), [
      `ai-platform:kagent.slackBot.image: unknown image "kagentSlackBot" (hint: ${UNPUBLISHED["kagentSlackBot"]})`,
    ]);
    const servers = [mcpServer("everything"), mcpServer("excalidraw", { image: "mcpExcalidraw" })];
    assert.deepEqual(configIssues(gatewayConfig(), mcpConfig(servers)), [
      `ai-platform:mcp.servers[1].image: unknown image "mcpExcalidraw" (hint: ${UNPUBLISHED["mcpExcalidraw"]})`,
    ]);
  });

  it("rejects a stack-named image on a mutable tag", () => {
    const own = { repository: "registry.example.com/kagent-slackbot", tag: "0.1.0" };
    assert.deepEqual(configIssues(...slackBot(own)), []);
    assert.deepEqual(configIssues(...slackBot({ ...own, tag: "latest" })), [
      "ai-platform:kagent.slackBot.image.tag: must be a release tag, not latest",
    ]);
  });
});
