/*
 * What the talos provider would return, for the offline recording runtime (recording/placeholders.ts):
 * plausible values so that the program's apply chains run, secret wherever the provider's are secret.
 */

/** What the recording runtime lends provider fakes. */
export interface FakeContext {
  /** A secret placeholder in wire format; the runtime checks that it never leaks into plan output. */
  secret(label: string): unknown;
  /** A placeholder string the runtime treats as secret text. */
  plainSecretText(label: string): string;
  /** `value` marked secret in wire format. */
  asSecret(value: unknown): unknown;
  sha256(text: string): string;
  uuid(text: string): string;
}

const CA = "LS0tLS1QTEFDRUhPTERFUi1DQS0tLS0t";
const CERT = "LS0tLS1QTEFDRUhPTERFUi1DRVJULS0tLS0=";

/** Extra outputs of a talos resource (inputs without secret markers), undefined for other packages. */
export function talosResourceOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  ctx: FakeContext,
): Record<string, unknown> | undefined {
  switch (type) {
    case "talos:machine/secrets:Secrets":
      return {
        machineSecrets: machineSecrets(name, ctx),
        clientConfiguration: clientConfiguration(name, ctx),
      };
    case "talos:imageFactory/schematic:Schematic":
      // The program posts the factory's canonical text, whose SHA-256 is the factory's schematic ID.
      return { id: ctx.sha256(String(inputs["schematic"] ?? "")) };
    case "talos:machine/configurationApply:ConfigurationApply":
      return {
        machineConfiguration: ctx.secret(`${name}/machineConfiguration`),
        machineConfigurationHash: ctx.sha256(`${name}/machineConfiguration`),
        resolvedApplyMode: inputs["applyMode"] ?? "auto",
      };
    case "talos:cluster/kubeconfig:Kubeconfig":
      return {
        kubeconfigRaw: ctx.asSecret(kubeconfig(name, ctx)),
        kubernetesClientConfiguration: {
          host: "https://127.0.0.1:6443",
          caCertificate: "LS0tLS1CRUdJTi1QTEFDRUhPTERFUi1DQS0tLS0t",
          clientCertificate: "LS0tLS1CRUdJTi1QTEFDRUhPTERFUi1DRVJULS0tLS0=",
          clientKey: ctx.secret(`${name}/clientKey`),
        },
      };
    default:
      return undefined;
  }
}

/** Result of a talos function (arguments without secret markers), undefined for other packages. */
export function talosInvokeResult(
  token: string,
  args: Record<string, unknown>,
  ctx: FakeContext,
): Record<string, unknown> | undefined {
  switch (token) {
    case "talos:machine/getConfiguration:getConfiguration":
      return { ...args, machineConfiguration: ctx.secret(`machine-config/${String(args["machineType"])}`) };
    case "talos:client/getConfiguration:getConfiguration":
      return { ...args, talosConfig: ctx.secret(`talosconfig/${String(args["clusterName"])}`) };
    case "talos:imageFactory/getUrls:getUrls": {
      const id = String(args["schematicId"]);
      const version = String(args["talosVersion"]);
      const platform = String(args["platform"] ?? "metal");
      return {
        ...args,
        urls: {
          installer: `factory.talos.dev/${platform}-installer/${id}:${version}`,
          installerSecureboot: `factory.talos.dev/${platform}-installer-secureboot/${id}:${version}`,
          iso: `https://factory.talos.dev/image/${id}/${version}/${platform}-amd64.iso`,
          diskImage: `https://factory.talos.dev/image/${id}/${version}/${platform}-amd64.raw.zst`,
        },
      };
    }
    default:
      return undefined;
  }
}

function machineSecrets(name: string, ctx: FakeContext): Record<string, unknown> {
  const pair = (label: string) => ({ cert: CERT, key: ctx.secret(`${name}/${label}/key`) });
  return {
    certs: {
      etcd: pair("etcd"),
      k8s: pair("k8s"),
      k8sAggregator: pair("k8sAggregator"),
      k8sServiceaccount: { key: ctx.secret(`${name}/sa`) },
      os: pair("os"),
    },
    cluster: { id: ctx.uuid(`${name}/cluster`), secret: ctx.secret(`${name}/cluster`) },
    secrets: {
      bootstrapToken: ctx.secret(`${name}/bootstrapToken`),
      secretboxEncryptionSecret: ctx.secret(`${name}/secretbox`),
    },
    trustdinfo: { token: ctx.secret(`${name}/trustd`) },
  };
}

function clientConfiguration(name: string, ctx: FakeContext): Record<string, unknown> {
  return { caCertificate: CA, clientCertificate: CERT, clientKey: ctx.secret(`${name}/clientKey`) };
}

function kubeconfig(name: string, ctx: FakeContext): string {
  const token = ctx.plainSecretText(`${name}/kubeconfig-token`);
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters: [{name: placeholder, cluster: {server: 'https://127.0.0.1:6443', insecure-skip-tls-verify: true}}]",
    `users: [{name: placeholder, user: {token: ${token}}}]`,
    "contexts: [{name: placeholder, context: {cluster: placeholder, user: placeholder}}]",
    "current-context: placeholder",
    "",
  ].join("\n");
}
