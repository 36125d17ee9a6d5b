#!/usr/bin/env bash
# A real three-member LXD cluster on this one host, for the cluster tests. Each member is an
# `lxd` daemon of its own (LXD_DIR under $RPTC_BASE) in a network namespace of its own
# (rptc1..3, 10.99.99.1<i>:8443 on a host bridge rptcbr0) and a private mount namespace: a
# sysfs that matches the namespace (LXD reads /sys/class/net) with the host's cgroup tree
# moved back in. The namespaces have no default route and an empty resolv.conf, so nothing a
# member does leaves the host. The host's own LXD daemon, its bridges and its instances are
# never touched: every lxc and lxd call here names its LXD_DIR.
#
#   lxd_cluster.sh up          bootstrap member1, join member2 and member3 (dir storage)
#   lxd_cluster.sh down        stop the daemons, remove namespaces and links, delete the folder
#   lxd_cluster.sh start <i>   start member i's daemon again (after a kill)
#   lxd_cluster.sh cut <i>     take member i's link down: a host gone from the network
#   lxd_cluster.sh mend <i>    bring member i's link up again
#   lxd_cluster.sh pid <i>     member i's daemon process id
#   lxd_cluster.sh lxc <i> ... lxc against member i
#   lxd_cluster.sh socket <i>  member i's unix socket
# RPTC_OFFLINE_THRESHOLD (seconds, more than 10; LXD's default 20): how long a member may miss
# heartbeats before the others call it offline.
set -u
BASE=${RPTC_BASE:-/tmp/rockpool-cluster}
export LXD_CONF=$BASE/conf
N=3
HOSTBR=rptcbr0
NET=10.99.99 # host bridge .1, member i .1<i>

log() { echo "lxd_cluster: $*" >&2; }
die() { log "$*"; exit 1; }
member_dir() { echo "$BASE/m$1"; }
lx() { local i=$1; shift; LXD_DIR=$(member_dir "$i") lxc "$@"; }
# Running, not a zombie waiting for whoever adopted it to reap it.
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
daemon_pid() { local p; p=$(cat "$(member_dir "$1")/lxd.pid" 2>/dev/null) && alive "$p" && echo "$p"; }

net_up() {
  if ! ip link show $HOSTBR >/dev/null 2>&1; then
    [ -z "$(ip -4 route show $NET.0/24)" ] || die "$NET.0/24 is already routed on this host; the test cluster needs it"
    ip link add $HOSTBR type bridge && ip addr add $NET.1/24 dev $HOSTBR && ip link set $HOSTBR up || return 1
  fi
  local i
  for i in $(seq $N); do
    ip netns list | grep -qw "rptc$i" || ip netns add "rptc$i" || return 1
    ip link show "rptc${i}h" >/dev/null 2>&1 && continue
    ip link add "rptc${i}h" type veth peer name "rptc${i}n" &&
      ip link set "rptc${i}n" netns "rptc$i" &&
      ip link set "rptc${i}h" master $HOSTBR up &&
      ip -n "rptc$i" link set lo up &&
      ip -n "rptc$i" link set "rptc${i}n" name eth0 &&
      ip -n "rptc$i" addr add "$NET.1$i/24" dev eth0 &&
      ip -n "rptc$i" link set eth0 up || return 1
  done
}

start_member() {
  local i=$1 d
  d=$(member_dir "$i")
  [ -n "$(daemon_pid "$i")" ] && return 0
  mkdir -p "$d/.cg" && chmod 0711 "$BASE" "$d"
  # nsenter, unshare, sh, nice and env all exec: the process id saved is lxd's.
  LXD_DIR=$d D=$d nsenter --net="/run/netns/rptc$i" unshare -m --propagation private sh -c '
    mount --rbind /sys/fs/cgroup "$D/.cg" && umount -l /sys && mount -t sysfs sysfs /sys &&
      mount --move "$D/.cg" /sys/fs/cgroup || exit 1
    : >"$D/.resolv.conf" && mount --bind "$D/.resolv.conf" /etc/resolv.conf || exit 1
    exec nice -n 10 env LXD_DIR="$D" lxd --group root --logfile "$D/lxd.log"' >"$d/lxd.out" 2>&1 &
  echo $! >"$d/lxd.pid"
  LXD_DIR=$d timeout 120 lxd waitready --timeout=110 ||
    { cat "$d/lxd.out" "$d/lxd.log" >&2; die "member$i did not start"; }
}

# $BASE is a fixed path under /tmp: another local user could have made it (or a symlink there)
# to hand the daemons a folder they control. Only a real directory of root's own is used.
own_base() {
  [ -e "$BASE" ] || [ -L "$BASE" ] || mkdir -m 0711 "$BASE" || return 1
  [ -d "$BASE" ] && [ ! -L "$BASE" ] && [ "$(stat -c %u "$BASE")" = "$(id -u)" ] ||
    die "$BASE is not a directory of this user's own; remove it and run again"
}

up() {
  own_base || die "cannot make $BASE"
  mkdir -p "$LXD_CONF" && chmod 0700 "$LXD_CONF"
  net_up || die "could not make the namespaces"
  start_member 1
  if ! lx 1 cluster list >/dev/null 2>&1; then
    LXD_DIR=$(member_dir 1) lxd init --preseed <<EOF || die "member1 did not bootstrap"
config:
  core.https_address: $NET.11:8443
  images.auto_update_interval: 0
storage_pools:
- {name: data, driver: dir}
profiles:
- name: default
  devices:
    root: {path: /, pool: data, type: disk}
cluster: {server_name: member1, enabled: true}
EOF
  fi
  local i token
  for i in $(seq 2 $N); do
    start_member "$i"
    lx 1 cluster show "member$i" >/dev/null 2>&1 && continue
    token=$(lx 1 cluster add "member$i" --quiet) || die "no join token for member$i"
    LXD_DIR=$(member_dir "$i") lxd init --preseed <<EOF || die "member$i did not join"
cluster:
  enabled: true
  server_name: member$i
  server_address: $NET.1$i:8443
  cluster_address: $NET.11:8443
  cluster_token: $token
  member_config:
  - {entity: storage-pool, name: data, key: source, value: ""}
EOF
  done
  # Set once the cluster exists: in the bootstrap preseed, LXD 5.0.2 drops the connection.
  [ -z "${RPTC_OFFLINE_THRESHOLD:-}" ] ||
    lx 1 config set cluster.offline_threshold "$RPTC_OFFLINE_THRESHOLD" || die "offline threshold not set"
}

down() {
  local i p pids=""
  # The members hold no instances: SIGTERM makes each daemon stop at once (`lxd shutdown` would
  # wait on the cluster database for the members already gone).
  for i in $(seq $N); do
    p=$(daemon_pid "$i") || continue
    kill -TERM "$p"
    pids="$pids $p"
  done
  for _ in $(seq 40); do
    local running=
    for p in $pids; do alive "$p" && running=1; done
    [ -z "$running" ] && break
    sleep 0.25
  done
  for p in $pids; do alive "$p" && kill -9 "$p"; done
  for i in $(seq $N); do
    ip link del "rptc${i}h" 2>/dev/null
    ip netns list | grep -qw "rptc$i" && ip netns del "rptc$i"
  done
  ip link del $HOSTBR 2>/dev/null
  grep " $BASE/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$BASE"
  return 0
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  start) start_member "$2" ;;
  cut) ip link set "rptc${2}h" down ;;
  mend) ip link set "rptc${2}h" up ;;
  pid) daemon_pid "$2" ;;
  lxc) i=$2; shift 2; lx "$i" "$@" ;;
  socket) echo "$(member_dir "$2")/unix.socket" ;;
  *) echo "usage: $0 up|down|start <i>|cut <i>|mend <i>|pid <i>|lxc <i> args...|socket <i>" >&2; exit 2 ;;
esac
