import type { PolicyPackArgs } from "@pulumi/policy";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { packArgs } from "../../policy/pack";
import type { PolicySubject } from "../../policy/rules";

/*
 * Runs the policy pack through @pulumi/policy's own analyzer handlers (the functions `serve` registers for the
 * engine's Analyze and AnalyzeStack gRPC calls), with requests built like the engine builds them during
 * `pulumi preview --policy-pack policy`: one Analyze per resource, then one AnalyzeStack with every resource.
 */

interface AnalyzerServer {
  makeAnalyzeRpcFun: (name: string, version: string, level: string, policies: unknown) => RpcFun;
  makeAnalyzeStackRpcFun: (name: string, version: string, level: string, policies: unknown) => RpcFun;
}
type RpcFun = (
  call: { request: unknown },
  callback: (err: unknown, response?: analyzerproto.AnalyzeResponse) => void,
) => Promise<void>;

// The handlers are internal to @pulumi/policy (server.js); `serve` is the only caller in the package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server") as AnalyzerServer;

export interface Reported {
  policy: string;
  urn: string;
  message: string;
}

function options(s: PolicySubject): analyzerproto.AnalyzerResourceOptions {
  return new analyzerproto.AnalyzerResourceOptions().setProtect(s.protect);
}

function properties(s: PolicySubject): Struct {
  // The engine sends plain JSON property values; drop undefined the way the wire format does.
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(s.props)) as Record<string, never>);
}

function call(fn: RpcFun, request: unknown): Promise<analyzerproto.AnalyzeResponse> {
  return new Promise((resolve, reject) => {
    void fn({ request }, (err, response) => (err ? reject(err as Error) : resolve(response!)));
  });
}

function diagnostics(response: analyzerproto.AnalyzeResponse, urn?: string): Reported[] {
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    urn: d.getUrn() || urn || "",
    // The analyzer prefixes the policy's description; the rule's own message follows it.
    message: d.getMessage().startsWith(`${d.getDescription()}\n`)
      ? d.getMessage().slice(d.getDescription().length + 1)
      : d.getMessage(),
  }));
}

/** Every violation the pack reports for these resources, in the engine's order (per resource, then the stack). */
export async function runPack(
  subjects: PolicySubject[],
  args: PolicyPackArgs = packArgs({}),
): Promise<Reported[]> {
  const level = args.enforcementLevel ?? "mandatory";
  const analyze = server.makeAnalyzeRpcFun("ai-platform", "0.1.0", level, args.policies);
  const analyzeStack = server.makeAnalyzeStackRpcFun("ai-platform", "0.1.0", level, args.policies);
  const out: Reported[] = [];
  for (const s of subjects) {
    const request = new analyzerproto.AnalyzeRequest()
      .setType(s.type)
      .setUrn(s.urn)
      .setName(s.name)
      .setProperties(properties(s))
      .setOptions(options(s));
    out.push(...diagnostics(await call(analyze, request), s.urn));
  }
  const stackRequest = new analyzerproto.AnalyzeStackRequest().setResourcesList(
    subjects.map((s) =>
      new analyzerproto.AnalyzerResource()
        .setType(s.type)
        .setUrn(s.urn)
        .setName(s.name)
        .setProperties(properties(s))
        .setOptions(options(s)),
    ),
  );
  out.push(...diagnostics(await call(analyzeStack, stackRequest)));
  return out;
}
