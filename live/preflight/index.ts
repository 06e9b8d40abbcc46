import type { PlannedState } from "../plan";
import type { TalosNodeRef } from "../talos";
import { bigipFindings } from "./bigip";
import { cloudflareFindings } from "./cloudflare";
import { controllerFindings } from "./controllers";
import { exitCode, Finding, finding } from "./findings";
import { helmFindings } from "./helm";
import { kubernetesFindings } from "./kubernetes";
import type { LiveState } from "./liveState";
import { networkPolicyFindings } from "./networkPolicy";
import { TALOS_CHECKS, TalosCheck, talosFindings, talosNodeSnapshots } from "./talos";

/*
 * The preflight: the stack's plan against a snapshot of the live state, as findings per object. Pure: it
 * reads nothing but its arguments.
 */

export interface PreflightInput {
  plan: PlannedState;
  live: LiveState;
  /** The stack's Talos nodes (none when Talos is off). */
  talosNodes: readonly TalosNodeRef[];
  /** `adoption.enabled`: the run that takes the cluster over. */
  adoptionRun: boolean;
  /** The Talos section's checks (default TALOS_CHECKS; add those that need the stack's config). */
  talosChecks?: readonly TalosCheck[];
}

export interface PreflightReport {
  stack: string;
  snapshot: string;
  takenAt?: string;
  exitCode: 0 | 1 | 2;
  findings: Finding[];
}

/** A source the plan needs that the snapshot does not hold: nothing of it can be said. */
function unread(live: LiveState, source: string, what: string): Finding[] {
  const state = live.sources.get(source);
  if (state?.status === "ok") return [];
  const why =
    state?.status === "failed"
      ? `reading it failed: ${state.error ?? "unknown error"}`
      : "it is not in the snapshot";
  return [
    finding("snapshot", source, "blocked", "blocker", `${what} not compared: ${why}.`, {
      hint: "fix the source (credentials, reachability) and take the snapshot again",
    }),
  ];
}

export function runPreflight(input: PreflightInput): PreflightReport {
  const { plan, live } = input;
  const findings: Finding[] = [];
  if (plan.objects.length > 0 || plan.charts.length > 0)
    findings.push(...unread(live, "kubernetes", "Kubernetes objects, Helm releases and policies"));
  if (live.kubernetes !== undefined)
    findings.push(
      ...kubernetesFindings(plan, live.kubernetes),
      ...helmFindings(plan, live.kubernetes),
      ...controllerFindings(plan, live.kubernetes),
      ...networkPolicyFindings(plan, live.kubernetes),
    );
  if (plan.bigip.length > 0) findings.push(...unread(live, "bigip", "BIG-IP objects"));
  if (live.bigip !== undefined && plan.bigip.length > 0) findings.push(...bigipFindings(plan, live.bigip));
  if (plan.cloudflare.length > 0)
    findings.push(...unread(live, "cloudflare", "Cloudflare records and tunnels"));
  if (live.cloudflare !== undefined && plan.cloudflare.length > 0)
    findings.push(...cloudflareFindings(plan, live.cloudflare, { adoptionRun: input.adoptionRun }));
  findings.push(
    ...talosFindings(talosNodeSnapshots(input.talosNodes, live), plan, input.talosChecks ?? TALOS_CHECKS),
  );
  return {
    stack: plan.stack,
    snapshot: live.dir,
    ...(live.takenAt !== undefined ? { takenAt: live.takenAt } : {}),
    exitCode: exitCode(findings),
    findings,
  };
}
