import { AddressBook, platformAddressBook, UnresolvedAddress } from "../lib/addressBook";
import { compileExposurePlan, ExposurePlan, ExposureProblem } from "../lib/exposures";
import type { PartialConfig } from "./layerRules/common";

/*
 * Validation asks the address book and the exposure plan the program deploys whether an address resolves:
 * the same functions over the same settings, the book built once per config.
 */

const books = new WeakMap<PartialConfig, AddressBook>();
const plans = new WeakMap<PartialConfig, { plan: ExposurePlan; problems: ExposureProblem[] }>();

/** The config's address book, or undefined when the agentgateway layer did not parse (already reported). */
export function configAddressBook(c: PartialConfig): AddressBook | undefined {
  const agentgateway = c.agentgateway;
  if (agentgateway === undefined) return undefined;
  let book = books.get(c);
  if (book === undefined) {
    book = platformAddressBook({ agentgateway, llm: c.llm, mcp: c.mcp });
    books.set(c, book);
  }
  return book;
}

/**
 * Why the route or MCP server at `index` has no address because of its own reference: an unknown gateway, or
 * an LLM route's unknown listener.
 */
export function referenceProblem(
  c: PartialConfig,
  kind: UnresolvedAddress["kind"],
  index: number,
): UnresolvedAddress | undefined {
  return configAddressBook(c)?.unresolved.find(
    (u) => u.kind === kind && u.index === index && u.cause !== "clientListener",
  );
}

/**
 * Why in-cluster clients (kagent, tenant agents) cannot call an LLM route or MCP server: its gateway has no
 * listener for them. An unknown gateway or listener has no address either, but is reported on the route or
 * server itself.
 */
export function clientAddressIssue(
  c: PartialConfig,
  kind: UnresolvedAddress["kind"],
  name: string,
): { message: string; hint: string } | undefined {
  const u = configAddressBook(c)?.unresolved.find(
    (x) => x.kind === kind && x.name === name && x.cause === "clientListener",
  );
  if (u === undefined) return undefined;
  return kind === "llmRoute"
    ? {
        message: `gateway "${u.gateway}" of LLM route "${name}" has no HTTP listener for in-cluster clients`,
        hint: "add an HTTP listener to the gateway",
      }
    : {
        message: `gateway "${u.gateway}" of MCP server "${name}" has no HTTP listener`,
        hint: "add an HTTP listener for in-cluster MCP clients",
      };
}

/**
 * The rows the exposure plan cannot compile, Cloudflare slice included. Without a parsed agentgateway layer
 * no gateway is known, so only the problems that do not depend on one are returned.
 */
export function exposureProblems(c: PartialConfig): ExposureProblem[] {
  const { problems } = compiledExposures(c);
  return c.agentgateway !== undefined ? problems : problems.filter((p) => p.cause === "tunnelTarget");
}

/** The config's exposure plan, Cloudflare slice included, as the program compiles it. */
export function configExposurePlan(c: PartialConfig): ExposurePlan {
  return compiledExposures(c).plan;
}

function compiledExposures(c: PartialConfig): { plan: ExposurePlan; problems: ExposureProblem[] } {
  let compiled = plans.get(c);
  if (compiled === undefined) {
    compiled = compileExposurePlan(
      c.exposures ?? [],
      c.agentgateway?.gateways ?? [],
      configAddressBook(c) ?? { namespace: "", gateways: {} },
      { cloudflare: true },
    );
    plans.set(c, compiled);
  }
  return compiled;
}
