# Shared by scripts/up.sh and scripts/test.sh: installs and starts what Rockpool needs, each
# step idempotent and quick when already done. Source it; do not run it.
set -euo pipefail

ROCKPOOL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# ccache keys on paths relative to the checkout (helps rebuilds after a reconfigure).
export CCACHE_BASEDIR="$ROCKPOOL_ROOT" CCACHE_NOHASHDIR=1
ROCKPOOL_STATE=${ROCKPOOL_STATE_DIR:-/var/lib/rockpool}
ROCKPOOL_LOG_DIR=${ROCKPOOL_LOG_DIR:-/var/log/rockpool}
# The workspace network: an explicit subnet (LXD cannot pick one by itself on these hosts).
ROCKPOOL_SUBNET=${ROCKPOOL_SUBNET:-10.187.42.1/24}
ROCKPOOL_BRIDGE=${ROCKPOOL_BRIDGE:-rpbr0}
ROCKPOOL_POOL=${ROCKPOOL_POOL:-rockpool}
ROCKPOOL_POOL_SIZE=${ROCKPOOL_POOL_SIZE:-30GiB}

APT_PACKAGES=(
  # build
  build-essential cmake ninja-build ccache pkg-config g++ clang-format clang-tidy git
  libboost1.81-dev nlohmann-json3-dev libcurl4-openssl-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libsqlite3-dev sqlite3 libyaml-cpp-dev libcrypt-dev libssl-dev libsodium-dev
  libpq-dev
  # the store tests on PostgreSQL (a cluster of the suite's own; no system cluster is made)
  postgresql
  # engine, proxy, image
  lxd nftables iptables dnsmasq-base btrfs-progs caddy mmdebstrap ca-certificates curl jq
  # code-server's native modules (built on the host for the image)
  python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep
  # browser tests and benchmarks; busybox for the network isolation test's containers
  chromium wrk busybox-static
  # the macOS image's Packer template is checked on Linux with Debian's Packer
  packer
)
# Node.js and npm: Debian's packages unless this machine already has a node and npm (e.g. from
# another repository, whose nodejs package conflicts with Debian's npm).

log() { printf '\033[1m==>\033[0m %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" = 0 ] || die "run as root (sudo $0): Rockpool manages a container daemon and its network"
}

install_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -eq 0 ]; then
    log "packages: all ${#APT_PACKAGES[@]} installed"
    return
  fi
  log "packages: installing ${missing[*]}"
  # Debian's postgresql would make and start a cluster on port 5432; the tests run their own.
  if [ ! -e /etc/postgresql-common/createcluster.d/rockpool.conf ]; then
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/rockpool.conf
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >"$ROCKPOOL_LOG_DIR/apt.log" 2>&1 || { tail -20 "$ROCKPOOL_LOG_DIR/apt.log"; die "apt-get install failed (full log: $ROCKPOOL_LOG_DIR/apt.log)"; }
}

has_systemd() { [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; }

lxd_socket() {
  for s in /var/lib/lxd/unix.socket /var/snap/lxd/common/lxd/unix.socket /var/lib/incus/unix.socket; do
    [ -S "$s" ] && { echo "$s"; return; }
  done
  echo /var/lib/lxd/unix.socket
}

lxd_answers() { curl -sf --max-time 5 --unix-socket "$(lxd_socket)" http://lxd/1.0 >/dev/null 2>&1; }

# Each workspace gets a host id range of its own (security.idmap.isolated), 65536 ids each:
# root needs subordinate ids for thousands of them. The large range is added beside the ones
# root has, never in place of them: instances keep the maps they were given, and newuidmap
# refuses a map outside the file. LXD reads the file once, at its start, so it is changed only
# while LXD is stopped, just before it starts.
ROCKPOOL_SUBID="root:20000000:1000000000"
widen_subids() {
  local f
  for f in /etc/subuid /etc/subgid; do
    grep -qx "$ROCKPOOL_SUBID" "$f" 2>/dev/null && continue
    echo "$ROCKPOOL_SUBID" >>"$f"
    log "ids: root may also map ${ROCKPOOL_SUBID#root:} ($f)"
  done
}

start_lxd() {
  if lxd_answers; then log "LXD: daemon running"; return; fi
  widen_subids
  log "LXD: starting the daemon"
  if has_systemd; then
    systemctl start lxd.socket lxd.service
  else
    mkdir -p "$ROCKPOOL_LOG_DIR"
    # The socket of a daemon that died is left behind; lxd replaces it.
    setsid lxd --group root --logfile "$ROCKPOOL_LOG_DIR/lxd.log" </dev/null >>"$ROCKPOOL_LOG_DIR/lxd.log" 2>&1 &
  fi
  lxd waitready --timeout 60 || die "LXD did not become ready in 60 s; see $ROCKPOOL_LOG_DIR/lxd.log"
}

init_lxd() {
  # A storage pool with copy-on-write clones, a bridge with an explicit subnet and NAT egress,
  # and a default profile that uses both. Each piece is created only when missing.
  if ! lxc storage show "$ROCKPOOL_POOL" >/dev/null 2>&1; then
    log "LXD: creating btrfs storage pool $ROCKPOOL_POOL ($ROCKPOOL_POOL_SIZE loop file)"
    lxc storage create "$ROCKPOOL_POOL" btrfs size="$ROCKPOOL_POOL_SIZE" >/dev/null
  fi
  if ! lxc network show "$ROCKPOOL_BRIDGE" >/dev/null 2>&1; then
    log "LXD: creating bridge $ROCKPOOL_BRIDGE ($ROCKPOOL_SUBNET, NAT)"
    lxc network create "$ROCKPOOL_BRIDGE" ipv4.address="$ROCKPOOL_SUBNET" ipv4.nat=true ipv6.address=none >/dev/null
  fi
  local profile; profile=$(lxc profile show default)
  if ! grep -q "pool: $ROCKPOOL_POOL" <<<"$profile"; then
    lxc profile device remove default root >/dev/null 2>&1 || true
    lxc profile device add default root disk path=/ pool="$ROCKPOOL_POOL" >/dev/null
  fi
  if ! grep -q "network: $ROCKPOOL_BRIDGE" <<<"$profile"; then
    lxc profile device remove default eth0 >/dev/null 2>&1 || true
    lxc profile device add default eth0 nic network="$ROCKPOOL_BRIDGE" name=eth0 >/dev/null
  fi
  log "LXD: pool $ROCKPOOL_POOL, bridge $ROCKPOOL_BRIDGE ($(lxc network get "$ROCKPOOL_BRIDGE" ipv4.address)) ready"
}

build_rockpool() {
  log "build: rockpool (cmake preset default)"
  cmake --preset default -S "$ROCKPOOL_ROOT" >"$ROCKPOOL_LOG_DIR/cmake.log" 2>&1 ||
    { tail -30 "$ROCKPOOL_LOG_DIR/cmake.log"; die "cmake configure failed"; }
  cmake --build "$ROCKPOOL_ROOT/build" -j"$(nproc)" >"$ROCKPOOL_LOG_DIR/build.log" 2>&1 ||
    { grep -E 'error|Error' "$ROCKPOOL_LOG_DIR/build.log" | head -30; die "build failed (full log: $ROCKPOOL_LOG_DIR/build.log)"; }
}

npm_install() {  # npm_install <dir>: installs the lock file's packages when they changed
  local dir=$1 stamp=$1/node_modules/.rockpool-lock
  [ -f "$dir/package-lock.json" ] || return 0
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then return; fi
  log "npm: installing packages in ${dir#$ROCKPOOL_ROOT/}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $dir"
  cp "$dir/package-lock.json" "$stamp"
}

build_dashboard() {
  [ -f "$ROCKPOOL_ROOT/web/package.json" ] || return 0
  npm_install "$ROCKPOOL_ROOT/web"
  log "build: dashboard (web/dist)"
  (cd "$ROCKPOOL_ROOT/web" && npm run --silent build) >"$ROCKPOOL_LOG_DIR/web-build.log" 2>&1 ||
    { tail -30 "$ROCKPOOL_LOG_DIR/web-build.log"; die "dashboard build failed"; }
}

setup_host() {
  require_root
  # State and logs hold the store, credentials and sockets: root's alone.
  install -d -m 0700 "$ROCKPOOL_STATE" "$ROCKPOOL_LOG_DIR"
  chmod 0700 "$ROCKPOOL_STATE" "$ROCKPOOL_LOG_DIR"
  install_packages
  start_lxd
  init_lxd
  build_rockpool
  build_dashboard
}
