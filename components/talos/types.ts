import type * as pulumi from "@pulumi/pulumi";

/*
 * Object types of the talos 0.8.1 schema (`types` section), shared by several resources and functions.
 * Field names and secret flags follow ../shared/schemas/providers/talos-0.8.1.json.
 */

/** `talos:machine/generated:ClientConfiguration`: talosctl client credentials (`clientKey` is secret). */
export interface ClientConfiguration {
  caCertificate: string;
  clientCertificate: string;
  clientKey: string;
}

/** Input form of {@link ClientConfiguration}. */
export interface ClientConfigurationArgs {
  caCertificate: pulumi.Input<string>;
  clientCertificate: pulumi.Input<string>;
  clientKey: pulumi.Input<string>;
}

/** `talos:machine/generated:Certificate` (`key` is secret). */
export interface Certificate {
  cert: string;
  key: string;
}

/** `talos:machine/generated:MachineSecrets`: the cluster's PKI and tokens (every key/token is secret). */
export interface MachineSecrets {
  certs: {
    etcd: Certificate;
    k8s: Certificate;
    k8sAggregator: Certificate;
    k8sServiceaccount: { key: string };
    os: Certificate;
  };
  cluster: { id: string; secret: string };
  secrets: { bootstrapToken: string; secretboxEncryptionSecret: string; aescbcEncryptionSecret?: string };
  trustdinfo: { token: string };
}

/** `talos:machine/Timeout:Timeout` and friends: Go duration strings such as "10m". */
export interface Timeouts {
  create?: pulumi.Input<string>;
  update?: pulumi.Input<string>;
  delete?: pulumi.Input<string>;
}
