import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface NamespaceSpec {
  name: string;
  /** Pod Security admission level enforced in the namespace (audit/warn stay at restricted). */
  podSecurity: PodSecurityLevel;
  labels?: Record<string, string>;
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
  public readonly namespaces: Record<string, k8s.core.v1.Namespace>;

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
