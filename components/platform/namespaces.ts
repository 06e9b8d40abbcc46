import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { defaultDenySpec } from "../../lib/networkPolicy";
import { exceptionAnnotations } from "../../policy/exceptions";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface NamespaceSpec {
  name: string;
  /** Pod Security admission level enforced in the namespace (audit/warn stay at restricted). */
  podSecurity: PodSecurityLevel;
  labels?: Record<string, string>;
  /** Why the namespace's pods need `podSecurity` when it is below restricted (declared to the policy pack). */
  podSecurityReason?: string;
  /**
   * Network isolation: `default-deny` adds a NetworkPolicy that denies all ingress and egress to pods no other
   * policy allows (every workload here brings its own allowances); a string is the declared reason why the
   * namespace cannot carry one yet.
   */
  network: "default-deny" | { exception: string };
  /** Why the charts installed into this namespace may render RBAC wildcards (declared to the policy pack). */
  rbacWildcardReason?: string;
}

export interface PlatformNamespacesArgs {
  /** Every namespace the enabled layers deploy into, each listed once. */
  namespaces: NamespaceSpec[];
  /**
   * Resources every namespace waits for, such as the CNI. Set on each Namespace, because a component's own
   * `dependsOn` does not reach its children; namespaced objects then wait through the namespace name.
   */
  after?: pulumi.Resource[];
}

/**
 * The namespaces of all layers, created once and protected: replacing or deleting a namespace deletes
 * everything inside it (pulumi/pulumi-kubernetes#2882). Layers take a namespace's `metadata.name` output,
 * so their objects wait for it (and for whatever the namespaces depend on, such as the CNI).
 */
export class PlatformNamespaces extends pulumi.ComponentResource {
  private readonly namespaces: Record<string, k8s.core.v1.Namespace>;

  constructor(name: string, args: PlatformNamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:core:Namespaces", name, {}, opts);
    this.namespaces = {};
    for (const spec of args.namespaces) {
      if (this.namespaces[spec.name] !== undefined) throw new Error(`namespace ${spec.name} is listed twice`);
      this.namespaces[spec.name] = new k8s.core.v1.Namespace(
        `${name}-${spec.name}`,
        {
          metadata: {
            name: spec.name,
            annotations: exceptionAnnotations({
              podSecurity:
                spec.podSecurity !== "restricted" && spec.podSecurityReason !== undefined
                  ? { level: spec.podSecurity, reason: spec.podSecurityReason }
                  : undefined,
              networkPolicy: spec.network === "default-deny" ? undefined : spec.network.exception,
              rbacWildcards: spec.rbacWildcardReason,
            }),
            labels: {
              ...spec.labels,
              "app.kubernetes.io/managed-by": "pulumi",
              "pod-security.kubernetes.io/enforce": spec.podSecurity,
              "pod-security.kubernetes.io/audit": "restricted",
              "pod-security.kubernetes.io/warn": "restricted",
            },
          },
        },
        // Protected: a namespace delete cascades to every object in it. dependsOn: see `after`.
        { parent: this, protect: true, dependsOn: args.after ?? [] },
      );
      if (spec.network === "default-deny")
        new k8s.networking.v1.NetworkPolicy(
          `${name}-${spec.name}-default-deny`,
          {
            metadata: { name: "default-deny", namespace: this.namespaces[spec.name].metadata.name },
            spec: defaultDenySpec(),
          },
          { parent: this },
        );
    }
    this.registerOutputs({ names: Object.keys(this.namespaces) });
  }

  /** The namespace's name as an Output that carries the dependency on the Namespace object. */
  name(namespace: string): pulumi.Output<string> {
    const ns = this.namespaces[namespace];
    if (ns === undefined) throw new Error(`namespace ${namespace} is not managed by this program`);
    return ns.metadata.name;
  }
}
