import { opRead } from "../live/credentials";
import { loadStack, operatorKubeconfig } from "../live/stack";
import { PROJECT_ROOT } from "../recording/stackFile";
import { ConfigValidationError } from "../stacks/issues";
import { makeContext, parseResolve, VerifyContext } from "../verify/context";
import { bigipChecks, cloudflareChecks, langfuseChecks } from "../verify/edgeChecks";
import { exposureChecks, llmChecks, mcpChecks } from "../verify/gatewayChecks";
import { gatewayAddressChecks, kagentChecks, liveObjects, objectChecks } from "../verify/kubernetesChecks";
import { Check, errorText, Group, GROUPS, markdownTable, runChecks, secretRedactor } from "../verify/run";

const USAGE =
  "usage: npm run verify -- <stack> [--only <group>[,<group>]] [--no-provider-calls] [--resolve <host>:<port>=<address>:<port>]... [--check-timeout <s>] [--trace-timeout <s>] [--total-timeout <s>]";

/** Exit codes: every check passed; a check failed (or the command was used wrongly); the platform was unreachable. */
const OK = 0;
const FAILED = 1;
const UNREACHABLE = 3;

interface Args {
  stack: string;
  only: Group[];
  providerCalls: boolean;
  resolve: string[];
  checkSeconds: number;
  /** How long a trace may take to reach Langfuse (collector batching included). */
  traceSeconds: number;
  totalSeconds: number;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = {
    stack: "",
    only: [...GROUPS],
    providerCalls: true,
    resolve: [],
    checkSeconds: 30,
    traceSeconds: 90,
    totalSeconds: 300,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i] ?? "";
    if (a === "--only") {
      const groups = value().split(",");
      const unknown = groups.filter((g) => !(GROUPS as readonly string[]).includes(g));
      if (unknown.length > 0) return `unknown group ${unknown.join(", ")} (groups: ${GROUPS.join(", ")})`;
      args.only = groups as Group[];
    } else if (a === "--no-provider-calls") args.providerCalls = false;
    else if (a === "--resolve") args.resolve.push(value());
    else if (a === "--check-timeout") args.checkSeconds = Number(value());
    else if (a === "--trace-timeout") args.traceSeconds = Number(value());
    else if (a === "--total-timeout") args.totalSeconds = Number(value());
    else if (!a.startsWith("--") && args.stack === "") args.stack = a;
    else return `unknown argument ${a}`;
  }
  if (args.stack === "") return "a stack is required";
  if (!(args.checkSeconds > 0 && args.traceSeconds > 0 && args.totalSeconds > 0))
    return "timeouts are positive numbers of seconds";
  return args;
}

function checksOf(ctx: VerifyContext, args: Args): Check[] {
  const live = liveObjects(ctx);
  const all: Record<Group, () => Check[]> = {
    objects: () => objectChecks(ctx, live),
    gateways: () => [...gatewayAddressChecks(ctx, live), ...exposureChecks(ctx)],
    llm: () => llmChecks(ctx),
    mcp: () => mcpChecks(ctx),
    kagent: () => kagentChecks(ctx),
    langfuse: () => langfuseChecks(ctx, args.traceSeconds * 1000),
    bigip: () => bigipChecks(ctx),
    cloudflare: () => cloudflareChecks(ctx),
  };
  return args.only.flatMap((g) => all[g]());
}

/**
 * `npm run verify -- <stack>`: after `pulumi up`, proves the platform answers. Prints progress on stderr and
 * a Markdown table of checks on stdout; exits 0 when all pass, 1 on a failure, 3 (one line) when the
 * Kubernetes API cannot be reached.
 */
async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(`${args}\n${USAGE}`);
    return FAILED;
  }
  let stack;
  try {
    stack = await loadStack(args.stack, process.env["PLAN_STACK_ROOT"] ?? PROJECT_ROOT);
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      console.error(`${args.stack}: ${err.message}`);
      return FAILED;
    }
    throw err;
  }
  let kubeconfig;
  try {
    kubeconfig = operatorKubeconfig();
  } catch (err) {
    console.error(`${args.stack}: could not reach the platform: ${errorText(err)}`);
    return UNREACHABLE;
  }
  const ctx = makeContext({
    stack,
    kubeconfig,
    env: process.env,
    op: opRead,
    resolve: parseResolve(args.resolve),
    providerCalls: args.providerCalls,
  });
  const server = kubeconfig.getCurrentCluster()?.server ?? "the cluster";
  try {
    await ctx.kube("/version", AbortSignal.timeout(10_000));
  } catch (err) {
    console.error(`${args.stack}: could not reach the Kubernetes API at ${server}: ${errorText(err)}`);
    return UNREACHABLE;
  }
  const checks = checksOf(ctx, args);
  const redact = secretRedactor(ctx.secretsSeen);
  console.error(`${args.stack}: ${checks.length} checks (${args.only.join(", ")}) against ${server}`);
  const results = await runChecks(checks, {
    perCheckMs: args.checkSeconds * 1000,
    totalMs: args.totalSeconds * 1000,
    concurrency: 4,
    progress: (line) => console.error(`  ${line}`),
    redact,
  });
  console.log(redact(markdownTable(args.stack, results)));
  return results.some((r) => r.status === "fail") ? FAILED : OK;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(FAILED);
  },
);
