/*
 * Talos releases and the version rules they enforce, decided once for the config rules, the rollout steps and
 * the preflight against the nodes' live versions.
 */

export interface TalosRelease {
  /** Lowest Kubernetes version supported (inclusive). */
  minKubernetes: [number, number];
  /** Highest Kubernetes minor supported. */
  maxKubernetes: [number, number];
  /** Lowest Talos version a node can be upgraded from (inclusive). */
  minHost: [number, number];
  /** Talos minor a node can no longer be downgraded from (exclusive). */
  maxHostDowngrade: [number, number];
}

/**
 * Talos releases and what they accept, from siderolabs/talos@v1.13.9
 * pkg/machinery/compatibility/talos1{8,9,10,11,12,13}/*.go (Minimum/MaximumKubernetesVersion,
 * MinimumHostUpgradeVersion, MaximumHostDowngradeVersion), enforced by kubernetes_version.go SupportedWith and
 * talos_version.go UpgradeableFrom (which the installer runs before it touches the disk:
 * cmd/installer/pkg/install/preflight.go). Provider 0.8.1 bundles machinery v1.13.0, which knows no later
 * release.
 */
export const TALOS_RELEASES: Record<string, TalosRelease> = {
  "1.8": { minKubernetes: [1, 26], maxKubernetes: [1, 31], minHost: [1, 5], maxHostDowngrade: [1, 10] },
  "1.9": { minKubernetes: [1, 27], maxKubernetes: [1, 32], minHost: [1, 8], maxHostDowngrade: [1, 11] },
  "1.10": { minKubernetes: [1, 28], maxKubernetes: [1, 33], minHost: [1, 8], maxHostDowngrade: [1, 12] },
  "1.11": { minKubernetes: [1, 29], maxKubernetes: [1, 34], minHost: [1, 9], maxHostDowngrade: [1, 13] },
  "1.12": { minKubernetes: [1, 30], maxKubernetes: [1, 35], minHost: [1, 10], maxHostDowngrade: [1, 14] },
  "1.13": { minKubernetes: [1, 31], maxKubernetes: [1, 36], minHost: [1, 11], maxHostDowngrade: [1, 15] },
};

/**
 * What to change for a Talos minor the program does not know: the Talos provider generates configuration only
 * for the contracts of the machinery it bundles (pulumiverse/pulumi-talos@v0.8.1 provider/go.mod:
 * github.com/siderolabs/talos/pkg/machinery v1.13.0), so a new minor needs a provider release built on it.
 */
export function unknownReleaseHint(minor: string): string {
  return (
    `the Talos provider 0.8.1 generates configuration up to the v1.13 contract: for Talos ${minor}, move ` +
    `lib/versions.ts plugins.talos to a @pulumiverse/talos release built on machinery ${minor}, regenerate the ` +
    `bindings (npm run bindings) and add the release's compatibility limits to lib/talosReleases.ts`
  );
}

export type Version = [number, number, number];

/** `v1.13.9` or `1.36.3` (a pre-release suffix is ignored) as numbers. */
export function parseVersion(version: string): Version {
  const [major, minor, patch] = version
    .replace(/^v/, "")
    .split(".")
    .map((part) => parseInt(part, 10));
  return [major ?? 0, minor ?? 0, patch ?? 0];
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export const minorOf = (v: readonly number[]): string => `${v[0]}.${v[1]}`;

/** The release of a Talos version, or undefined when the program does not know its minor. */
export function talosRelease(talosVersion: string): TalosRelease | undefined {
  return TALOS_RELEASES[minorOf(parseVersion(talosVersion))];
}

/** Why Talos `talos` cannot run Kubernetes `kubernetes`, or undefined when it can (or the release is unknown). */
export function kubernetesSupportProblem(talos: string, kubernetes: string): string | undefined {
  const release = talosRelease(talos);
  if (release === undefined) return undefined;
  const k = parseVersion(kubernetes);
  const [lo, hi] = [release.minKubernetes, release.maxKubernetes];
  if (compareVersions(k, lo) < 0 || compareVersions([k[0], k[1]], hi) > 0)
    return `Talos ${talos} supports Kubernetes ${lo.join(".")} to ${hi.join(".")}.x, not ${kubernetes}`;
  return undefined;
}
