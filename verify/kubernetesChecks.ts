import { randomUUID } from "crypto";
import { KindRef, readKubernetes } from "../live/kubernetes";
import type { PlannedObject } from "../live/plan";
import { KAGENT_RELEASE } from "../lib/kagent";
import { KAGENT_CONTROLLER_PORT } from "../components/kagent/specs";
import type { VerifyContext } from "./context";
import { Check, errorText, fail, pass } from "./run";
import { evaluateWait, waitsOf } from "./waitFor";

/*
 * Checks read from the Kubernetes API: every declared object exists, every object the program waits on at
 * deploy time meets its waits now (failing with the controller's condition message), Deployments are
 * Available, each Gateway has its address, and kagent answers A2A for each agent through the API server's
 * service proxy (the controller is not exposed outside the cluster).
 */

type Obj = Record<string, unknown>;

const keyOf = (o: { kind: string; namespace?: string; name: string }) =>
  `${o.kind}/${o.namespace ?? ""}/${o.name}`;

/** The live objects of the plan's kinds, read once and shared by the checks. */
export function liveObjects(ctx: VerifyContext): () => Promise<Map<string, Obj>> {
  let read: Promise<Map<string, Obj>> | undefined;
  const kinds = new Map<string, KindRef>();
  for (const o of ctx.stack.plan.objects)
    kinds.set(`${o.group}/${o.kind}`, { group: o.group, version: o.version, kind: o.kind });
  const namespaces = new Set(ctx.stack.plan.namespaces);
  return () =>
    (read ??= readKubernetes(ctx.kubeconfig, [...kinds.values()], {
      keep: (item, _kind, namespaced) =>
        !namespaced || namespaces.has(String(((item["metadata"] ?? {}) as Obj)["namespace"])),
      redact: (item) => item,
    }).then((listings) => {
      const map = new Map<string, Obj>();
      for (const l of listings)
        for (const item of l.items) {
          const meta = (item["metadata"] ?? {}) as Obj;
          const ns = typeof meta["namespace"] === "string" ? meta["namespace"] : undefined;
          map.set(
            keyOf({ kind: l.kind.kind, ...(ns ? { namespace: ns } : {}), name: String(meta["name"]) }),
            item,
          );
        }
      return map;
    }));
}

const label = (o: PlannedObject) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;

function deploymentOutcome(live: Obj) {
  const conditions = ((live["status"] ?? {}) as Obj)["conditions"] as Obj[] | undefined;
  const available = conditions?.find((c) => c["type"] === "Available");
  return available?.["status"] === "True"
    ? pass("Available")
    : fail(`not Available${available?.["message"] ? `: ${String(available["message"])}` : ""}`);
}

export function objectChecks(ctx: VerifyContext, live: () => Promise<Map<string, Obj>>): Check[] {
  const objects = ctx.stack.plan.objects;
  const waited = objects.filter((o) => waitsOf(o.manifest).length > 0 || o.kind === "Deployment");
  return [
    {
      group: "objects",
      name: `all ${objects.length} declared objects exist`,
      async run() {
        const found = await live();
        const missing = objects.filter((o) => !found.has(keyOf(o))).map(label);
        return missing.length === 0
          ? pass(`${objects.length} found`)
          : fail(
              `${missing.length} missing: ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", …" : ""}`,
            );
      },
    },
    ...waited.map((o): Check => ({
      group: "objects",
      name: `${label(o)} ${o.kind === "Deployment" ? "is Available" : "is accepted"}`,
      async run() {
        const obj = (await live()).get(keyOf(o));
        if (obj === undefined) return fail("not found");
        if (o.kind === "Deployment") return deploymentOutcome(obj);
        // The deploy-time waits read the live object's own annotation, as pulumi-kubernetes does.
        const waits = waitsOf(obj).length > 0 ? waitsOf(obj) : waitsOf(o.manifest);
        const unmet = waits.map((w) => evaluateWait(obj, w)).filter((r) => !r.met);
        return unmet.length === 0
          ? pass(`${waits.length} condition(s) met`)
          : fail([...new Set(unmet.map((r) => r.reason ?? r.expression))].join("; "));
      },
    })),
  ];
}

export function gatewayAddressChecks(ctx: VerifyContext, live: () => Promise<Map<string, Obj>>): Check[] {
  const config = ctx.stack.config;
  const ns = config.agentgateway.namespace;
  return config.agentgateway.enabled
    ? config.agentgateway.gateways.map((gw): Check => ({
        group: "gateways",
        name: `Gateway ${gw.name} has its address`,
        async run(signal) {
          const obj = (await live()).get(`Gateway/${ns}/${gw.name}`);
          if (obj === undefined) return fail("Gateway not found");
          const addresses = ((((obj["status"] ?? {}) as Obj)["addresses"] ?? []) as Obj[]).map((a) =>
            String(a["value"]),
          );
          if (gw.service.type === "LoadBalancer")
            return addresses.includes(gw.service.ip)
              ? pass(`LoadBalancer ${gw.service.ip}`)
              : fail(`no LoadBalancer address ${gw.service.ip} (has: ${addresses.join(", ") || "none"})`);
          if (addresses.length === 0) return fail("no address in status");
          if (gw.service.type !== "NodePort") return pass(addresses.join(", "));
          const svc = (await ctx.kube(`/api/v1/namespaces/${ns}/services/${gw.name}`, signal)) as Obj;
          const ports = ((((svc["spec"] ?? {}) as Obj)["ports"] ?? []) as Obj[])
            .filter((p) => p["nodePort"] !== undefined)
            .map((p) => `${String(p["port"])}→${String(p["nodePort"])}`);
          return ports.length > 0
            ? pass(`NodePorts ${ports.join(", ")}`)
            : fail("the proxy Service has no NodePort");
        },
      }))
    : [];
}

/** A2A agent cards through the API server's service proxy to the kagent controller. */
export function kagentChecks(ctx: VerifyContext): Check[] {
  const k = ctx.stack.config.kagent;
  if (!k.enabled) return [];
  const service = `${KAGENT_RELEASE}-controller:${KAGENT_CONTROLLER_PORT}`;
  return k.agents.map((agent): Check => ({
    group: "kagent",
    name: `agent ${agent.name} answers over A2A`,
    async run(signal) {
      // A2A under /api/a2a/<ns>/<agent>/, the card at a2a-go v2's well-known path (kagent-dev/kagent@v0.9.12
      // go/core/internal/a2a/a2a_handler_mux.go SetAgentHandler, a2asrv.WellKnownAgentCardPath).
      const base = `/api/v1/namespaces/${k.namespace}/services/${service}/proxy/api/a2a/${k.namespace}/${agent.name}/`;
      try {
        const card = (await ctx.kube(`${base}.well-known/agent-card.json`, signal)) as Obj;
        if (typeof card["name"] !== "string") return fail("the answer is not an A2A agent card");
        if (!ctx.providerCalls)
          return pass(`agent card "${card["name"]}" (no message: provider calls are off)`);
        // A2A v0.3 JSON-RPC `message/send`, which kagent serves when no A2A version header is sent
        // (go/core/internal/utils/a2a_version.go NegotiateA2AWireVersion); the agent calls its model once.
        const answer = (await ctx.kube(base, signal, {
          jsonrpc: "2.0",
          id: 1,
          method: "message/send",
          params: {
            message: {
              kind: "message",
              role: "user",
              messageId: randomUUID(),
              parts: [{ kind: "text", text: "ping" }],
            },
          },
        })) as Obj;
        const error = answer["error"] as Obj | undefined;
        if (error !== undefined) return fail(`message/send: ${String(error["message"])}`);
        const result = (answer["result"] ?? {}) as Obj;
        const state = ((result["status"] ?? {}) as Obj)["state"];
        return state === "failed" || state === "rejected"
          ? fail(`the task ended ${String(state)}`)
          : pass(`answered (${String(result["kind"] ?? "result")}${state ? ` ${String(state)}` : ""})`);
      } catch (err) {
        return fail(errorText(err));
      }
    },
  }));
}
