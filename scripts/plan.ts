import * as fs from "fs";
import * as path from "path";
import { isKubernetesObject } from "../recording/manifests";
import { planDocument, treeSummary, writePlan } from "../recording/plan";
import { canonical } from "../recording/redact";
import { recordStack, type Recording } from "../recording/runtime";
import { StackFileError } from "../recording/yamlFile";
import { listStacks, PROJECT_ROOT, rawConfigOf, readStackFile } from "../recording/stackFile";
import { ConfigValidationError } from "../stacks/issues";
import { missingSchemasMessage, schemasDir } from "../conformance";
import { planConformance } from "./conformance";
import { BaseError, loadBase, type BasePlan } from "./plan/base";
import {
  chartCacheDir,
  findHelm,
  chartsSection,
  judgeRendered,
  renderCharts,
  renderedFiles,
  renderedPlanResources,
  type ChartRender,
} from "./plan/charts";
import { charts as chartPins } from "../lib/versions";
import { diffPlans, type PlanDoc, type PlanDiff } from "./plan/diff";
import { diffHeadline, diffJson, diffMarkdown } from "./plan/diffReport";
import { removeStaleStackDir, replaceStackDir } from "./plan/output";
import { Progress } from "./plan/progress";
import { summaryMarkdown } from "./plan/summary";

/**
 * Offline plan: runs the real program for each given stack (default: every Pulumi.<stack>.yaml) under the
 * recording runtime, checks every recorded object against the upstream schemas when they are present, and
 * writes out/<stack>/{plan.json,summary.md,manifests/,charts.json}. Says what it does as it goes (stderr). Exit 1 on
 * invalid config, a conformance violation or any program error; the previous out/<stack>/ is then removed,
 * so no plan of an earlier config is left to be mistaken for this one.
 */

interface PlanContext {
  root: string;
  outRoot: string;
  conformance: boolean;
  progress: Progress;
  /** `--base`: a git ref or a plan directory to compare with. */
  base?: string;
}

/** Objects conformance judges: Kubernetes objects and provider resources (the checker skips the rest). */
function judgedCount(recording: Recording): number {
  return recording.resources.filter(
    (r) => isKubernetesObject(r) || (r.custom && !r.type.startsWith("pulumi:")),
  ).length;
}

async function planStack(stack: string, ctx: PlanContext): Promise<boolean> {
  const { progress } = ctx;
  const file = readStackFile(stack, ctx.root);
  const recording = await progress.step(
    `${stack}: recording the program`,
    () => recordStack(stack, { root: ctx.root, stackFile: file }),
    (r) =>
      `${r.resources.length} resources (${r.resources.filter((x) => x.custom).length} custom), ${r.invokes.length} invokes`,
  );
  if (ctx.conformance) {
    const violations = await progress.step(
      `${stack}: conformance`,
      () => planConformance(recording, rawConfigOf(file)),
      (v) =>
        `${judgedCount(recording)} resources and ${recording.invokes.length} invokes checked, ${v.length} refused`,
    );
    if (violations.length > 0) {
      console.error(
        `${stack}: ${violations.length} object(s) the cluster or a provider would refuse:\n` +
          violations.map((v) => `  - ${v}`).join("\n"),
      );
      return false;
    }
  }
  const render = await progress.step(
    `${stack}: rendering charts`,
    () =>
      renderCharts(recording, {
        helm: findHelm(),
        cacheDir: chartCacheDir(),
        pins: chartPins,
        kubeVersion: kubeVersionOf(file),
      }),
    (r) =>
      `${[...r.objects.values()].flat().length} objects from ${r.objects.size} charts${r.skipped.length ? `; ${r.skipped.join("; ")}` : ""}`,
  );
  const chartSection = [chartsSection(render)];
  if (ctx.conformance && render.objects.size > 0) {
    const types = new Map(recording.resources.map((r) => [r.name.replace(/[^A-Za-z0-9_.-]+/g, "-"), r.type]));
    const judged = await progress.step(
      `${stack}: judging rendered objects`,
      () => judgeRendered(render.objects, types),
      (j) =>
        `${j.judged} objects checked (${j.unjudged} of kinds without a schema on file), ${j.blocking.length} refused, ${j.advisory.length} advisory`,
    );
    chartSection.push(
      "",
      ...judged.blocking.map((b) => `- refused: ${b}`),
      ...judged.advisory.map((a) => `- advisory (a v3 Release's objects never reach the pack): ${a}`),
    );
    if (judged.blocking.length > 0) {
      console.error(
        `${stack}: ${judged.blocking.length} rendered object(s) refused:\n${judged.blocking.map((b) => `  - ${b}`).join("\n")}`,
      );
      return false;
    }
  }
  let compared: { base: BasePlan; diff: PlanDiff } | undefined;
  if (ctx.base !== undefined) {
    const spec = ctx.base;
    const base = await progress.step(
      `${stack}: planning the base ${spec}`,
      () => loadBase(spec, stack, ctx.root, PROJECT_ROOT, selfCommand()),
      (b) => `${b.plan.resources.length} resources`,
    );
    const head = JSON.parse(JSON.stringify(canonical(planDocument(recording)))) as PlanDoc;
    const diff = diffPlans(withRendered(base.plan, base.rendered), withRendered(head, render.objects));
    compared = { base, diff };
    progress.note(`${stack}: against ${base.label}: ${diffHeadline(diff).replace(/\*/g, "")}`);
  }
  const sections = [
    ...(compared === undefined ? [] : [diffMarkdown(compared.diff, compared.base.label)]),
    chartSection.join("\n"),
  ];
  const dir = replaceStackDir(ctx.outRoot, stack, (scratch) => {
    writePlan(recording, path.dirname(scratch));
    fs.writeFileSync(path.join(scratch, "summary.md"), summaryMarkdown(recording, sections));
    const rendered = renderedFiles(render);
    if (rendered.size > 0) fs.mkdirSync(path.join(scratch, "rendered"));
    for (const [name, text] of rendered) fs.writeFileSync(path.join(scratch, "rendered", name), text);
    if (compared !== undefined) {
      const { base, diff } = compared;
      fs.writeFileSync(path.join(scratch, "diff.md"), diffMarkdown(diff, base.label));
      fs.writeFileSync(
        path.join(scratch, "diff.json"),
        diffJson(diff, { label: base.label, ...(base.ref ? { ref: base.ref, commit: base.commit } : {}) }),
      );
    }
  });
  console.log(treeSummary(recording));
  if (compared !== undefined) console.log(`\n${diffMarkdown(compared.diff, compared.base.label)}`);
  progress.note(`${stack}: wrote ${path.relative(process.cwd(), dir) || dir} (${progress.elapsed()} so far)`);
  return true;
}

/** The stack's Kubernetes version (what the charts are rendered for), when it declares one. */
function kubeVersionOf(file: ReturnType<typeof readStackFile>): string | undefined {
  const cluster = rawConfigOf(file).values["cluster"] as
    { talos?: { kubernetesVersion?: unknown } } | undefined;
  const version = cluster?.talos?.kubernetesVersion;
  return typeof version === "string" ? version : undefined;
}

function withRendered(doc: PlanDoc, rendered: ChartRender["objects"]): PlanDoc {
  return { ...doc, resources: [...doc.resources, ...renderedPlanResources(rendered, doc.resources)] };
}

/** This plan script as a command, to plan a base tree that holds stack files only. */
function selfCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: [...process.execArgv, process.argv[1]!] };
}

/** Stack names and `--base <ref or directory>` from the command line. */
function parseArgs(argv: string[]): { stacks: string[]; base?: string } {
  const stacks: string[] = [];
  let base: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--base") {
      base = argv[++i];
      if (base === undefined || base === "") throw new Error("--base needs a git ref or a plan directory");
    } else if (arg.startsWith("--base=")) base = arg.slice("--base=".length);
    else if (arg.startsWith("-"))
      throw new Error(`unknown option ${arg} (usage: plan [stack ...] [--base <git ref or plan directory>])`);
    else stacks.push(arg);
  }
  return { stacks, ...(base !== undefined ? { base } : {}) };
}

async function main(argv: string[]): Promise<number> {
  const root = process.env["PLAN_STACK_ROOT"] ?? PROJECT_ROOT;
  const args = parseArgs(argv);
  const stacks = args.stacks.length > 0 ? args.stacks : listStacks(root);
  const ctx: PlanContext = {
    root,
    ...(args.base !== undefined ? { base: args.base } : {}),
    outRoot: process.env["PLAN_OUT_DIR"] ?? path.join(PROJECT_ROOT, "out"),
    conformance: schemasDir() !== undefined,
    progress: new Progress(),
  };
  if (!ctx.conformance) console.warn(`conformance not checked: ${missingSchemasMessage()}`);
  let failed = false;
  for (const stack of stacks) {
    let ok = false;
    if (!listStacks(root).includes(stack)) {
      console.error(`${stack}: no Pulumi.${stack}.yaml (stacks: ${listStacks(root).join(", ")})`);
    } else {
      try {
        ok = await planStack(stack, ctx);
      } catch (err) {
        if (
          err instanceof ConfigValidationError ||
          err instanceof StackFileError ||
          err instanceof BaseError
        ) {
          console.error(`${stack}: ${(err as Error).message}`);
        } else {
          console.error(`${stack}: program failed:`, err);
        }
      }
    }
    if (!ok) {
      failed = true;
      if (removeStaleStackDir(ctx.outRoot, stack))
        ctx.progress.note(`${stack}: plan failed; removed the previous ${path.join(ctx.outRoot, stack)}`);
    }
  }
  ctx.progress.note(`plan: ${failed ? "failed" : "done"} in ${ctx.progress.elapsed()}`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
