import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../../lib/versions";

/*
 * Longhorn 1.12.1 (longhorn/longhorn@v1.12.1:chart/values.yaml). Talos prerequisites (iscsi-tools and
 * util-linux-tools extensions, kubelet mounts) come from TalosCluster and are enforced by config validation
 * (stacks/layerRules/cluster.ts);
 * the namespace is created by PlatformNamespaces with Pod Security `privileged` (lib/layers.ts).
 */

/** The Longhorn settings this component applies (config `longhorn`). */
export interface LonghornConfig {
  /** Default StorageClass replica count. */
  replicaCount: number;
  /** Data path on every node (Talos mounts it for the kubelet). */
  dataPath: string;
  /** Whether the Longhorn StorageClass is the cluster default. */
  defaultStorageClass: boolean;
  /** Backup store URL, when backups are configured. */
  backupTarget?: string;
}

/** Helm values for the Longhorn chart. */
export function longhornValues(longhorn: LonghornConfig): Record<string, unknown> {
  const replicas = String(longhorn.replicaCount);
  const values: Record<string, unknown> = {
    persistence: {
      createStorageClass: true,
      defaultClass: longhorn.defaultStorageClass,
      defaultClassReplicaCount: longhorn.replicaCount,
    },
    defaultSettings: {
      defaultDataPath: longhorn.dataPath,
      defaultReplicaCount: { v1: replicas, v2: replicas },
      // Uninstalling must stay an explicit, separate decision (LH README: set the flag, then uninstall).
      deletingConfirmationFlag: false,
    },
    // helm.v3.Release runs the chart's hooks, so the pre-upgrade check stays on; a helm.v4.Chart would drop
    // the hook and this job would have to be disabled (chart values.yaml: "Disable ... GitOps").
    preUpgradeChecker: { jobEnabled: true, upgradeVersionCheck: true },
    // Chart defaults that create workloads or credentials, set here so none arrives unseen (values.yaml): the UI
    // Deployment (two replicas, reached through kubectl port-forward only: no Ingress or HTTPRoute, which would
    // also create a TLS Secret), and no private-registry pull Secret (images come from the public registry).
    longhornUI: { replicas: 2 },
    ingress: { enabled: false },
    httproute: { enabled: false },
    privateRegistry: { createSecret: false },
    // The chart's NetworkPolicies assume k3s (`networkPolicies.type`); the namespace declares its network
    // exception instead (lib/layers.ts). Its ClusterRole longhorn-role is not value-controlled.
    networkPolicies: { enabled: false },
  };
  // Since Longhorn 1.8 the default backup target is `defaultBackupStore.backupTarget`, not a defaultSettings key
  // (longhorn/longhorn multiple-backup-stores LEP, longhorn/longhorn#6630).
  if (longhorn.backupTarget !== undefined)
    values["defaultBackupStore"] = { backupTarget: longhorn.backupTarget };
  return values;
}

export interface LonghornArgs {
  /** Longhorn settings (config `longhorn`). */
  longhorn: LonghornConfig;
  /** Namespace name from PlatformNamespaces (carries the dependency on the namespace and the CNI). */
  namespace: pulumi.Input<string>;
}

/** Longhorn distributed block storage with its default StorageClass. */
export class Longhorn extends pulumi.ComponentResource {
  /** Name of the StorageClass Longhorn's manager creates from the chart's `longhorn-storageclass` ConfigMap. */
  public readonly storageClassName: string;

  constructor(name: string, args: LonghornArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:Longhorn", name, {}, opts);
    this.storageClassName = "longhorn";
    // helm.v3.Release, not helm.v4.Chart: the chart's pre-upgrade, post-upgrade and pre-delete hook Jobs only
    // run under Helm (Chart v4 renders with DisableHooks, pulumi-kubernetes@v4.32.0 helm/v4/chart.go), and its
    // CRDs live in templates/, so they belong to the release either way.
    new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: "longhorn",
        chart: charts.longhorn.chart,
        version: charts.longhorn.version,
        repositoryOpts: { repo: charts.longhorn.repo },
        namespace: args.namespace,
        values: longhornValues(args.longhorn),
        maxHistory: 5,
      },
      // protect: removing the release removes the Longhorn CRDs and with them every volume's state.
      { parent: this, protect: true },
    );
    this.registerOutputs({ storageClassName: this.storageClassName });
  }
}
