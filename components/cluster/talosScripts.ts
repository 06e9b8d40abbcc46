/*
 * Shell steps of the Talos rollout, run by @pulumi/command local Commands on the machine running Pulumi.
 * They are constants: every value reaches them through the environment, and the talosconfig through stdin
 * (a secret input).
 *
 * How the command provider runs them (pulumi/pulumi-command@v1.2.1 provider/pkg/provider/local/commandOutputs.go
 * run): `/bin/sh -c` through exec.CommandContext, so a cancelled step is killed with SIGKILL and no EXIT trap
 * runs; stdout and stderr are both streamed to the engine, and a failure's message carries both. So the admin
 * talosconfig never touches the disk (it stays in a shell variable and reaches each talosctl call through a
 * pipe, read as `--talosconfig /dev/stdin`: siderolabs/talos@v1.13.9 pkg/machinery/client/config/config.go
 * Open reads the named file once), talosctl's progress goes to stdout, and stderr carries only the reason a
 * step fails.
 *
 * Talos facts they rely on (siderolabs/talos@v1.13.9):
 * - MachineStatus `.spec.status.ready` is true only when time, network, the services apid/machined/kubelet
 *   (plus etcd and trustd on control planes), the static pods and the Kubernetes Node are all ready
 *   (internal/app/machined/pkg/controllers/runtime/machine_status.go getReadinessChecks); the unmet ones are
 *   listed in `.spec.status.unmetConditions[].name`.
 * - `talosctl etcd status`, `etcd members` and `etcd alarm list` exit 0 whatever they report; they print
 *   text/tabwriter tables (padding 3) with a header naming the columns, and `alarm list` prints nothing when
 *   there is no alarm (cmd/talosctl/cmd/talos/etcd.go displayAlarms, etcdMemberListCmd, etcdStatusCmd).
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

/** The talosconfig from stdin, kept in memory; `talos` runs talosctl with it, `t` against this node only. */
const PRELUDE = `set -eu
TALOSCONFIG_DATA="$(cat)"
unset TALOSCONFIG
talos() { printf '%s\\n' "$TALOSCONFIG_DATA" | talosctl --talosconfig /dev/stdin "$@"; }
t() { talos --nodes "$NODE" --endpoints "$NODE" "$@"; }
fail() { echo "\${NODE_NAME:-cluster} ($NODE): $*" >&2; exit 1; }
`;

/**
 * \`column <NAME>\`: the cells of column NAME of a talosctl table on stdin, one line each. Columns start where
 * their header starts (text/tabwriter aligns every row to the header), so cells with spaces stay whole.
 */
const COLUMN = `column() {
  awk -v name="$1" '
    NR == 1 { start = index($0, name); if (start == 0) exit 3
      rest = substr($0, start + length(name)); width = match(rest, /[^ ]/) ? length(name) + RSTART - 1 : 0; next }
    { cell = width ? substr($0, start, width) : substr($0, start); gsub(/^ +| +$/, "", cell); print cell }'
}
`;

/**
 * \`etcd_healthy\`: this node's member reports no errors, no alarm is raised, and the member list has no learner
 * and between ETCD_MEMBERS_MIN (the control planes rolled out up to this one) and ETCD_MEMBERS_MAX (every
 * control plane of the stack) members: fewer means a member is missing, more a stale member that still counts
 * for quorum. Sets \`why\` when it is not.
 */
const ETCD = `${COLUMN}etcd_healthy() {
  status="$(t etcd status 2>/dev/null)" || { why="talosctl etcd status failed"; return 1; }
  errors="$(printf '%s\\n' "$status" | column ERRORS)" || { why="etcd status printed no ERRORS column"; return 1; }
  if [ -n "$(printf '%s' "$errors" | tr -d '[:space:]')" ]; then why="etcd member errors: $errors"; return 1; fi
  alarms="$(t etcd alarm list 2>/dev/null)" || { why="talosctl etcd alarm list failed"; return 1; }
  if [ -n "$(printf '%s' "$alarms" | tr -d '[:space:]')" ]; then
    why="etcd alarms: $(printf '%s\n' "$alarms" | column ALARM | tr '\n' ' ')"
    return 1
  fi
  members="$(t etcd members 2>/dev/null)" || { why="talosctl etcd members failed"; return 1; }
  learners="$(printf '%s\\n' "$members" | column LEARNER)" || { why="etcd members printed no LEARNER column"; return 1; }
  count="$(printf '%s\\n' "$learners" | grep -c . || true)"
  if printf '%s\\n' "$learners" | grep -qv '^false$'; then why="etcd has a learner member: $members"; return 1; fi
  if [ "$count" -lt "$ETCD_MEMBERS_MIN" ] || [ "$count" -gt "$ETCD_MEMBERS_MAX" ]; then
    why="etcd has $count members, expected $ETCD_MEMBERS_MIN to $ETCD_MEMBERS_MAX: $members"
    return 1
  fi
  return 0
}
`;

/**
 * \`node_ready <level>\`: "full" needs MachineStatus ready; "talos" accepts a node whose only unmet condition
 * is the Kubernetes Node readiness (a new cluster has no CNI until Cilium is installed after the nodes).
 * Control planes also need a healthy etcd. \`wait_healthy <level>\` polls until the node has been ready for
 * SETTLE_SECONDS in a row (a reboot triggered by an apply may not have started yet), or fails after
 * HEALTH_TIMEOUT_SECONDS with the last reason.
 */
const HEALTH = `${ETCD}node_ready() {
  why="machine stage is not running"
  [ "$(t get machinestatus -o jsonpath='{.spec.stage}' 2>/dev/null)" = running ] || return 1
  if [ "$(t get machinestatus -o jsonpath='{.spec.status.ready}' 2>/dev/null)" != true ]; then
    why="machine is not ready"
    [ "$1" = talos ] || return 1
    unmet="$(t get machinestatus -o jsonpath='{.spec.status.unmetConditions[*].name}' 2>/dev/null)" || return 1
    why="unmet conditions: $unmet"
    [ -n "$unmet" ] || return 1
    for condition in $unmet; do [ "$condition" = nodeReady ] || return 1; done
  fi
  if [ "$ROLE" = controlplane ]; then etcd_healthy || return 1; fi
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
      fail "not healthy within $HEALTH_TIMEOUT_SECONDS s: $why"
    fi
    sleep 5
  done
}
`;

/** Health gate after a node's configuration apply. */
export function healthScript(level: "full" | "talos"): string {
  return `${PRELUDE}${HEALTH}wait_healthy ${level}\n`;
}

/**
 * \`running_version\`: the Talos version the node runs; \`has_schematic <id>\`: its image is built from that
 * schematic; \`vercmp <a> <b>\`: -1, 0 or 1 as Talos version a is older, equal or newer than b.
 */
const RUNNING = `running_version() { t get version -o jsonpath='{.spec.version}'; }
has_schematic() { t get extensions -o yaml | grep -Eq "^[[:space:]]+version: $1\\$"; }
vercmp() {
  awk -v a="\${1#v}" -v b="\${2#v}" 'BEGIN { split(a, x, "."); split(b, y, ".")
    for (i = 1; i <= 3; i++) { if (x[i] + 0 < y[i] + 0) { print -1; exit } if (x[i] + 0 > y[i] + 0) { print 1; exit } }
    print 0 }'
}
`;

/**
 * OS upgrade of one node, idempotent: a node already on TARGET_VERSION with TARGET_SCHEMATIC is only
 * health-checked. Before it drains the node it refuses a downgrade unless ALLOW_DOWNGRADE is true, and any
 * step the target's installer would refuse (from below MIN_HOST_VERSION, or a downgrade from
 * DOWNGRADE_LIMIT or later): the running version is read from the node, never assumed.
 */
export const UPGRADE_SCRIPT = `${PRELUDE}${HEALTH}${RUNNING}version="$(running_version)"
if [ "$version" = "$TARGET_VERSION" ] && has_schematic "$TARGET_SCHEMATIC"; then
  echo "$NODE_NAME ($NODE) already runs $TARGET_IMAGE"
  wait_healthy full
  exit 0
fi
if [ "$(vercmp "$version" "$TARGET_VERSION")" = 1 ]; then
  [ "$ALLOW_DOWNGRADE" = true ] || fail "runs Talos $version, newer than the declared $TARGET_VERSION: refusing to downgrade; correct cluster.talos.talosVersion, or set cluster.talos.rollout.allowDowngrade: true to downgrade on purpose"
  [ "$(vercmp "$version" "$DOWNGRADE_LIMIT")" = -1 ] || fail "runs Talos $version, which cannot be downgraded to $TARGET_VERSION (only from below $DOWNGRADE_LIMIT)"
fi
[ "$(vercmp "$version" "$MIN_HOST_VERSION")" != -1 ] || fail "runs Talos $version, which cannot be upgraded to $TARGET_VERSION (needs $MIN_HOST_VERSION or later): upgrade to an intermediate release first"
wait_healthy full
echo "moving $NODE_NAME ($NODE) from $version to $TARGET_IMAGE"
t upgrade --image "$TARGET_IMAGE" --wait --timeout "$UPGRADE_TIMEOUT" 2>&1 || fail "talosctl upgrade failed"
wait_healthy full
version="$(running_version)"
if [ "$version" != "$TARGET_VERSION" ] || ! has_schematic "$TARGET_SCHEMATIC"; then
  fail "runs $version after the upgrade, not $TARGET_IMAGE"
fi
echo "$NODE_NAME ($NODE) runs $TARGET_IMAGE"
`;

/**
 * Kubernetes upgrade of the whole cluster through one control plane, skipped when every node's kubelet and
 * every control plane's API server already run TO_VERSION; refused while a node is under maintenance.
 */
export const KUBERNETES_UPGRADE_SCRIPT = `${PRELUDE}on_target() {
  images="$(talos --nodes "$1" --endpoints "$NODE" get "$2" -o jsonpath='{.spec.image}')" || return 1
  [ -n "$images" ] || return 1
  ! printf '%s\\n' "$images" | grep -v -q ":v$TO_VERSION\\$"
}
if on_target "$NODES" kubeletspecs && on_target "$CONTROL_PLANES" apiserverconfigs; then
  echo "Kubernetes already runs $TO_VERSION"
  exit 0
fi
[ -z "$MAINTENANCE_NODES" ] || fail "nodes under maintenance ($MAINTENANCE_NODES) while Kubernetes changes to $TO_VERSION: talosctl upgrade-k8s upgrades every node it finds in the cluster; finish the maintenance first"
t upgrade-k8s --to "$TO_VERSION" --with-docs=false --with-examples=false 2>&1 || fail "talosctl upgrade-k8s failed"
`;

/** Creating an upgrade step on a running cluster (first run, adoption, a new node) upgrades nothing. */
export const RECORD_ONLY_SCRIPT = `echo "recorded; upgrades run when the declared target changes"\n`;

/** A step that only acts when it is created. */
export const NOTHING_ON_UPDATE_SCRIPT = `echo "nothing to do after creation"\n`;
