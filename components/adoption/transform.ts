import * as pulumi from "@pulumi/pulumi";
import {
  AdoptionExposures,
  AdoptionInput,
  AdoptionPlan,
  adoptionPlan,
  bigipImportId,
  dnsRecordImportId,
  helmReleaseImportId,
  poolAttachmentImportId,
  TALOS_BOOTSTRAP_IMPORT_ID,
  talosSecretsImportId,
} from "./plan";

/*
 * Adoption as one stack transform, so that components stay unaware of it. The engine runs stack transforms
 * on every registration, providers and the children of Helm charts (helm.sh/v4 Chart, registered by the
 * provider) included (pulumi/pulumi@v3.248.0 pkg/resource/deploy/source_eval.go RegisterResource).
 */

type Props = Record<string, unknown>;
type Opts = pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions;

const BIGIP_NAMED = new Set([
  "f5bigip:ltm/node:Node",
  "f5bigip:ltm/pool:Pool",
  "f5bigip:ltm/monitor:Monitor",
  "f5bigip:ltm/virtualServer:VirtualServer",
]);

function isKubernetesObject(args: pulumi.ResourceTransformArgs): boolean {
  return (
    args.custom &&
    args.type.startsWith("kubernetes:") &&
    !args.type.startsWith("kubernetes:helm.sh/") &&
    !args.type.startsWith("kubernetes:yaml")
  );
}

function metadataOf(props: Props): Props {
  return (props["metadata"] ?? {}) as Props;
}

/** `<name>` of the component a resource is registered under (a chart's children: the chart). */
function parentName(opts: Opts): Promise<string> {
  const parent = opts.parent;
  if (parent === undefined) return Promise.resolve("");
  return new Promise((resolve) => parent.urn.apply((urn) => resolve(urn.split("::").pop() ?? "")));
}

async function forcePatch(plan: AdoptionPlan, args: pulumi.ResourceTransformArgs): Promise<boolean> {
  const meta = metadataOf(args.props);
  const kind = args.props["kind"];
  const chart = plan.patchForce.some((s) => s.chart !== undefined) ? await parentName(args.opts as Opts) : "";
  return plan.patchForce.some(
    (s) =>
      (s.chart === undefined || s.chart === chart) &&
      (s.kind === undefined || s.kind === kind) &&
      (s.namespace === undefined || s.namespace === meta["namespace"]) &&
      (s.name === undefined || s.name === meta["name"]),
  );
}

/**
 * Chart version and values of a Helm release kept as it runs (`release`): the import reads both from the live
 * release (pulumi/pulumi-kubernetes provider/pkg/provider/helm_release.go Read, setReleaseAttributes), and
 * ignoring them keeps the program's pin and values out of the upgrade that follows the import
 * (pulumi/pulumi@v3.248.0 pkg/resource/deploy/step_generator.go continueStepsFromImport applies ignoreChanges).
 * Chart and repository stay declared: the provider's Check loads the chart from them.
 */
const KEPT_RELEASE_FIELDS = ["version", "values"];

/** Props and options of one resource under the adoption plan; undefined leaves it as declared. */
export async function adopt(
  plan: AdoptionPlan,
  args: pulumi.ResourceTransformArgs,
): Promise<pulumi.ResourceTransformResult | undefined> {
  const run = plan.mode === "run";
  const props: Props = { ...args.props };
  const opts: Opts = { ...args.opts };
  let changed = false;
  // What existed before the adoption: imported on the run, and from then on never deleted by the program
  // unless the stack says onDestroy: delete. A corrected import id replaces the imported resource; the deletion
  // of the one first imported reads retainOnDelete from the state that import wrote
  // (pulumi/pulumi@v3.248.0 pkg/resource/deploy/step.go DeleteStep.Apply), so it only leaves the state.
  const adopted = (importId: string) => {
    if (run) opts.import = importId;
    if (plan.retainAdopted) opts.retainOnDelete = true;
    changed = true;
  };

  switch (args.type) {
    case "talos:machine/secrets:Secrets":
      // New secrets mean a new CA: every node would refuse the applies signed with it.
      if (plan.talosSecretsFile !== undefined) adopted(talosSecretsImportId(plan.talosSecretsFile));
      break;
    case "talos:machine/bootstrap:Bootstrap":
      // Talos answers AlreadyExists on a bootstrapped node and the provider retries until it fails.
      if (plan.talosSecretsFile !== undefined) adopted(TALOS_BOOTSTRAP_IMPORT_ID);
      break;
    case "pulumi:providers:kubernetes":
      // Since 4.29 a create of an existing object fails with AlreadyExists; upsert restores server-side
      // apply onto it for this run (pulumi/pulumi-kubernetes CHANGELOG 4.29.0, provider/pkg/await/await.go).
      // The provider input is JSON-encoded like the SDK's own (@pulumi/kubernetes provider.js).
      if (run) {
        props["upsertExistingObjects"] = "true";
        changed = true;
      }
      break;
    case "kubernetes:helm.sh/v3:Release": {
      const id = helmReleaseImportId(String(props["namespace"]), String(props["name"]));
      const existing = plan.helmReleases[id];
      // Installing over an existing release fails; the import makes the next step a Helm upgrade.
      if (existing === "release" || existing === "upgrade") adopted(id);
      if (existing === "release")
        opts.ignoreChanges = [...(opts.ignoreChanges ?? []), ...KEPT_RELEASE_FIELDS];
      if (existing === "rendered") {
        // No release exists (ArgoCD renders with `helm template`); Helm's --take-ownership adopts the objects.
        props["takeOwnership"] = true;
        if (plan.retainAdopted) opts.retainOnDelete = true;
        changed = true;
      }
      break;
    }
    case "f5bigip:ltm/poolAttachment:PoolAttachment": {
      const pool = String(props["pool"]);
      const member = String(props["node"]);
      const node = member.slice(0, member.lastIndexOf(":"));
      // An existing pool already has every existing node as a member; adding it again would fail.
      if (plan.bigipExistingPools.has(pool) && plan.bigipExistingNodes.has(node))
        adopted(poolAttachmentImportId(pool, member));
      break;
    }
    case "cloudflare:index/dnsRecord:DnsRecord": {
      const recordId = plan.dnsRecordIds.get(String(props["name"]));
      // A record whose name exists cannot be created; imported, it is updated in place (only zone_id
      // forces a replacement: cloudflare/terraform-provider-cloudflare@v5.19.1 dns_record/schema.go).
      if (recordId !== undefined) adopted(dnsRecordImportId(String(props["zoneId"]), recordId));
      break;
    }
    default:
      if (BIGIP_NAMED.has(args.type)) {
        const existing = plan.bigipNames.get(String(props["name"]));
        if (existing === undefined) break;
        // Names are ForceNew: the object keeps its existing name for good, or the import would replace it.
        props["name"] = existing;
        adopted(bigipImportId(existing));
      } else if (isKubernetesObject(args)) {
        if (plan.retainKinds.has(String(props["kind"]))) {
          // Other systems rely on it: a later destroy or rename leaves the object in the cluster.
          opts.retainOnDelete = true;
          changed = true;
        }
        if (run && (await forcePatch(plan, args))) {
          const meta = metadataOf(props);
          const annotations = (meta["annotations"] ?? {}) as Props;
          props["metadata"] = { ...meta, annotations: { ...annotations, "pulumi.com/patchForce": "true" } };
          changed = true;
        }
      }
  }
  return changed ? { props, opts } : undefined;
}

/**
 * Registers the adoption transform when the stack has an adoption block; must run before the program
 * registers any resource.
 */
export function registerAdoption(config: AdoptionInput, exposures: AdoptionExposures): void {
  const plan = adoptionPlan(config, exposures);
  if (plan === undefined) return;
  pulumi.runtime.registerResourceTransform((args) => adopt(plan, args));
}
