/*
 * Shell steps of the Talos rollout, run by @pulumi/command local Commands on the machine running Pulumi.
 * They are constants: every value reaches them through the environment, and the talosconfig through stdin
 * (a secret input), written to a private temporary file that is removed on exit.
 *
 * Talos facts they rely on (siderolabs/talos@v1.13.9):
 * - MachineStatus `.spec.status.ready` is true only when time, network, the services apid/machined/kubelet
 *   (plus etcd and trustd on control planes), the static pods and the Kubernetes Node are all ready
 *   (internal/app/machined/pkg/controllers/runtime/machine_status.go getReadinessChecks); the unmet ones are
 *   listed in `.spec.status.unmetConditions[].name`.
 * - `talosctl get version` reports the running Talos version (pkg/machinery/resources/runtime/version.go);
 *   an Image Factory image carries a virtual extension named "schematic" whose version is the schematic ID
 *   (siderolabs/image-factory@v1.5.0 internal/artifacts/schematic.go), listed by `talosctl get extensions`.
 * - `talosctl upgrade` without `--image` installs the vanilla installer of the talosctl version, dropping
 *   the extensions (cmd/talosctl/cmd/talos/upgrade.go init); `--wait` (default on) tracks the reboot, and
 *   `--drain` (default on) cordons and evicts the node first.
 * - `talosctl upgrade-k8s` checks the upgrade path (one minor at a time), pre-pulls images, upgrades the
 *   control-plane components node by node, then the kubelets, then syncs the bootstrap manifests
 *   (pkg/cluster/kubernetes/talos_managed.go Upgrade); components already on the target are skipped.
 */

/** Talosconfig from stdin into a private temporary file; `t` runs talosctl against this node only. */
const PRELUDE = `set -eu
umask 077
TALOSCONFIG="$(mktemp)"
export TALOSCONFIG
trap 'rm -f "$TALOSCONFIG"' EXIT
cat > "$TALOSCONFIG"
t() { talosctl --nodes "$NODE" --endpoints "$NODE" "$@"; }
`;

/**
 * \`node_ready <level>\`: "full" needs MachineStatus ready; "talos" accepts a node whose only unmet condition
 * is the Kubernetes Node readiness (a new cluster has no CNI until Cilium is installed after the nodes).
 * Control planes also need their etcd member to answer. \`wait_healthy <level>\` polls until the node has
 * been ready for SETTLE_SECONDS in a row (a reboot triggered by an apply may not have started yet), or fails
 * after HEALTH_TIMEOUT_SECONDS.
 */
const HEALTH = `node_ready() {
  [ "$(t get machinestatus -o jsonpath='{.spec.stage}' 2>/dev/null)" = running ] || return 1
  if [ "$(t get machinestatus -o jsonpath='{.spec.status.ready}' 2>/dev/null)" != true ]; then
    [ "$1" = talos ] || return 1
    unmet="$(t get machinestatus -o jsonpath='{.spec.status.unmetConditions[*].name}' 2>/dev/null)" || return 1
    [ -n "$unmet" ] || return 1
    for condition in $unmet; do [ "$condition" = nodeReady ] || return 1; done
  fi
  if [ "$ROLE" = controlplane ]; then t etcd status >/dev/null 2>&1 || return 1; fi
  return 0
}
wait_healthy() {
  deadline=$(( $(date +%s) + HEALTH_TIMEOUT_SECONDS ))
  healthy_since=""
  while :; do
    now=$(date +%s)
    if node_ready "$1"; then
      [ -n "$healthy_since" ] || healthy_since=$now
      if [ $(( now - healthy_since )) -ge "$SETTLE_SECONDS" ]; then
        echo "$NODE_NAME ($NODE) is healthy"
        return 0
      fi
    else
      healthy_since=""
    fi
    if [ "$now" -ge "$deadline" ]; then
      echo "$NODE_NAME ($NODE) did not become healthy within $HEALTH_TIMEOUT_SECONDS s" >&2
      t get machinestatus -o yaml >&2 || true
      return 1
    fi
    sleep 5
  done
}
`;

/** Health gate after a node's configuration apply. */
export function healthScript(level: "full" | "talos"): string {
  return `${PRELUDE}${HEALTH}wait_healthy ${level}\n`;
}

/** `running_version`: the Talos version the node runs; `has_schematic <id>`: its image is built from that schematic. */
const RUNNING = `running_version() { t get version -o jsonpath='{.spec.version}'; }
has_schematic() { t get extensions -o yaml | grep -Eq "^[[:space:]]+version: $1\\$"; }
`;

/**
 * OS upgrade of one node, idempotent: a node already on TARGET_VERSION with TARGET_SCHEMATIC is only
 * health-checked. A node on neither CURRENT_VERSION nor TARGET_VERSION stops the rollout: the stack's
 * `cluster.talos.current` is wrong and the upgrade path was validated against it.
 */
export const UPGRADE_SCRIPT = `${PRELUDE}${HEALTH}${RUNNING}version="$(running_version)"
if [ "$version" = "$TARGET_VERSION" ] && has_schematic "$TARGET_SCHEMATIC"; then
  echo "$NODE_NAME ($NODE) already runs $TARGET_IMAGE"
  wait_healthy full
  exit 0
fi
if [ "$version" != "$CURRENT_VERSION" ] && [ "$version" != "$TARGET_VERSION" ]; then
  echo "$NODE_NAME ($NODE) runs Talos $version, but cluster.talos.current.talosVersion is $CURRENT_VERSION" >&2
  exit 1
fi
wait_healthy full
echo "upgrading $NODE_NAME ($NODE) from $version to $TARGET_IMAGE"
t upgrade --image "$TARGET_IMAGE" --wait --timeout "$UPGRADE_TIMEOUT"
wait_healthy full
version="$(running_version)"
if [ "$version" != "$TARGET_VERSION" ] || ! has_schematic "$TARGET_SCHEMATIC"; then
  echo "$NODE_NAME ($NODE) runs $version after the upgrade, not $TARGET_IMAGE" >&2
  exit 1
fi
echo "$NODE_NAME ($NODE) runs $TARGET_IMAGE"
`;

/**
 * Kubernetes upgrade of the whole cluster through one control plane, skipped when every node's kubelet and
 * every control plane's API server already run TO_VERSION.
 */
export const KUBERNETES_UPGRADE_SCRIPT = `${PRELUDE}on_target() {
  images="$(talosctl --nodes "$1" --endpoints "$NODE" get "$2" -o jsonpath='{.spec.image}')" || return 1
  [ -n "$images" ] || return 1
  ! printf '%s\\n' "$images" | grep -v -q ":v$TO_VERSION\\$"
}
if on_target "$NODES" kubeletspecs && on_target "$CONTROL_PLANES" apiserverconfigs; then
  echo "Kubernetes already runs $TO_VERSION"
  exit 0
fi
t upgrade-k8s --to "$TO_VERSION" --with-docs=false --with-examples=false
`;

/** Creating an upgrade step on a running cluster (first run, adoption, a new node) upgrades nothing. */
export const RECORD_ONLY_SCRIPT = `echo "recorded; upgrades run when the declared target changes"\n`;

/** A step that only acts when it is created. */
export const NOTHING_ON_UPDATE_SCRIPT = `echo "nothing to do after creation"\n`;
