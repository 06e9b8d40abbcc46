import type { PlatformConfig } from "../stacks/schema";
import type { CredentialSource } from "./credentials";
import type { KindRef } from "./kubernetes";
import type { PlannedState } from "./plan";
import type { TalosNodeRef } from "./talos";

/*
 * What a snapshot of one stack reads: every kind the plan declares, plus the kinds the preflight needs to
 * judge them (GatewayClasses, Helm release Secrets, live NetworkPolicies and workloads of the namespaces the
 * plan touches, and the ArgoCD and Flux objects that re-apply what they own); the stack's Talos nodes; its
 * BIG-IP and Cloudflare account with the references of their credentials.
 */

/** Kinds read besides the plan's own. */
export const CONTEXT_KINDS: readonly KindRef[] = [
  { group: "", version: "v1", kind: "Namespace" },
  { group: "", version: "v1", kind: "Secret" },
  { group: "", version: "v1", kind: "Pod" },
  { group: "apps", version: "v1", kind: "Deployment" },
  { group: "apps", version: "v1", kind: "StatefulSet" },
  { group: "apps", version: "v1", kind: "DaemonSet" },
  { group: "batch", version: "v1", kind: "CronJob" },
  { group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy" },
  { group: "gateway.networking.k8s.io", version: "v1", kind: "GatewayClass" },
  // The owners that re-apply what they manage: ArgoCD Applications, Flux Kustomizations and HelmReleases.
  { group: "argoproj.io", version: "v1alpha1", kind: "Application" },
  { group: "kustomize.toolkit.fluxcd.io", version: "v1", kind: "Kustomization" },
  { group: "helm.toolkit.fluxcd.io", version: "v2", kind: "HelmRelease" },
];

/** GitOps owner kinds live in their controllers' namespaces, which the plan does not touch: read them all. */
export const OWNER_GROUPS = new Set(["argoproj.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io"]);

export interface BigipTarget {
  host: CredentialSource;
  port: CredentialSource;
  username: CredentialSource;
  password: CredentialSource;
  verifyCertificate: boolean;
  trustedCertPath?: string;
}

export interface CloudflareTarget {
  zone: string;
  apiToken: CredentialSource;
  accountId: CredentialSource;
}

export interface SnapshotTargets {
  stack: string;
  kinds: KindRef[];
  /** Namespaces whose objects are kept; cluster-scoped objects and GitOps owners are always kept. */
  namespaces: string[];
  talosNodes: TalosNodeRef[];
  bigip?: BigipTarget;
  cloudflare?: CloudflareTarget;
  /** Per Helm release (`<namespace>/<release>`): value paths the program marks secret. */
  helmSecretValuePaths: Map<string, Set<string>>;
}

/** Kinds by group and kind, the plan's version winning over a context kind's. */
function mergeKinds(planned: KindRef[]): KindRef[] {
  const byKey = new Map<string, KindRef>();
  for (const k of [...CONTEXT_KINDS, ...planned]) byKey.set(`${k.group}/${k.kind}`, k);
  return [...byKey.values()].sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`));
}

export function snapshotTargets(plan: PlannedState, config: PlatformConfig): SnapshotTargets {
  const secretRef = (name: string) => config.secrets[name];
  const source = (env: string, secret?: string): CredentialSource => ({
    env,
    ...(secret !== undefined && secretRef(secret) !== undefined ? { ref: secretRef(secret) } : {}),
  });
  const talos = config.cluster.talos;
  const bigip = config.bigip?.enabled ? config.bigip : undefined;
  const cloudflare = config.cloudflare?.enabled ? config.cloudflare : undefined;
  return {
    stack: plan.stack,
    kinds: mergeKinds(plan.objects.map((o) => ({ group: o.group, version: o.version, kind: o.kind }))),
    namespaces: plan.namespaces,
    talosNodes: talos.enabled ? talos.nodes.map((n) => ({ name: n.name, address: n.address })) : [],
    // Environment variables as the f5bigip provider reads them (its schema's config defaults).
    ...(bigip !== undefined
      ? {
          bigip: {
            host: source("BIGIP_HOST", bigip.addressSecret),
            port: source("BIGIP_PORT"),
            username: source("BIGIP_USER", bigip.usernameSecret),
            password: source("BIGIP_PASSWORD", bigip.passwordSecret),
            verifyCertificate: !bigip.validateCertsDisable,
            ...(bigip.trustedCertPath !== undefined ? { trustedCertPath: bigip.trustedCertPath } : {}),
          },
        }
      : {}),
    ...(cloudflare !== undefined
      ? {
          cloudflare: {
            zone: cloudflare.zone,
            apiToken: source("CLOUDFLARE_API_TOKEN", cloudflare.apiTokenSecret),
            accountId: source("CLOUDFLARE_ACCOUNT_ID", cloudflare.accountIdSecret),
          },
        }
      : {}),
    helmSecretValuePaths: new Map(
      plan.charts.map((c) => [`${c.namespace}/${c.release}`, new Set(c.secretValuePaths)]),
    ),
  };
}
