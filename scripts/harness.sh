# The test suite's private Rockpool: the suite never runs against the deployment people use.
# Sourced by scripts/test.sh after lib.sh.
#
# A private Rockpool has
#   - a temporary state folder and log folder (/tmp/rockpool-test.<id>/);
#   - its own Caddy, with its admin socket in that folder, on two free loopback-wide ports;
#   - its own control plane on unix sockets in that folder;
#   - its own LXD project (rpt-<id>) holding its instances, templates and profile, its own
#     bridge (rpt<id>, a free 10.x.y.0/24) and that bridge's own nftables table;
#   - beside it, a project and bridge for the engine-level tests' own instances (rpt-<id>-e,
#     rpt<id>e), where the private Rockpool's reconciler does not see them;
#   - its own admin password.
# What it shares with the deployment: the LXD daemon, the storage pool and the workspace image
# (images live in LXD's default project, which every Rockpool project reads).
# `lxc` in the tests acts in the private project: LXD_CONF points at a client configuration
# whose default remote is scoped to it.

TEST_PREFIX=/tmp/rockpool-test.

free_port() {  # a TCP port nothing listens on now (the kernel's pick for port 0)
  python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'
}

free_port_range() {  # free_port_range <count>: "first-last", <count> ports nothing binds now
  python3 - "$1" <<'PY'
import random, socket, sys
count = int(sys.argv[1])
for _ in range(200):
    first = random.randrange(20000, 60000 - count)
    held = []
    try:
        for port in range(first, first + count):
            s = socket.socket()
            s.bind(("", port))
            held.append(s)
    except OSError:
        continue
    finally:
        for s in held:
            s.close()
    print(f"{first}-{first + count - 1}")
    sys.exit(0)
sys.exit("no free range of %d ports found" % count)
PY
}

free_subnet() {  # a 10.x.y.1/24 no route on this host uses
  local x y
  for _ in $(seq 50); do
    x=$((100 + RANDOM % 150)); y=$((RANDOM % 256))
    ip -4 route | grep -q "^10\.$x\.$y\." && continue
    echo "10.$x.$y.1/24"; return
  done
  die "no free 10.x.y.0/24 subnet found for the test bridge"
}

lxc_conf_for() {  # lxc_conf_for <dir> <project>: an lxc client configuration scoped to a project
  mkdir -p "$1"
  printf 'default-remote: local\nremotes:\n  local:\n    addr: unix://\n    public: false\n    project: %s\n' "$2" >"$1/config.yml"
}

# Removes a private Rockpool: its processes, project, bridge, firewall table and folder.
# purge_private <folder> <project> <bridge>
purge_private() {
  local dir=$1 project=$2 bridge=$3 rp="$ROCKPOOL_ROOT/build/rockpool"
  if [ -d "$dir/state" ]; then
    ROCKPOOL_STATE_DIR="$dir/state" ROCKPOOL_LOG_DIR="$dir/log" ROCKPOOL_PROJECT="$project" \
      ROCKPOOL_BRIDGE="$bridge" "$rp" down >/dev/null 2>&1 || true
    # Whatever of this Rockpool still runs (an earlier run killed mid-way): every process it
    # started carries its state folder in its environment.
    local env
    for env in /proc/[0-9]*/environ; do
      grep -qsz "^ROCKPOOL_STATE_DIR=$dir/state\$" "$env" || continue
      env=${env#/proc/}; kill "${env%/environ}" 2>/dev/null || true
    done
  fi
  local p i
  for p in "$project" "$project-e"; do
    lxc project show "$p" >/dev/null 2>&1 || continue
    for i in $(lxc list --project "$p" --format csv -c n 2>/dev/null); do
      lxc delete --force --project "$p" "$i" >/dev/null 2>&1 || true
    done
    for i in $(lxc profile list --project "$p" --format csv 2>/dev/null | cut -d, -f1 | grep -vx default); do
      lxc profile delete --project "$p" "$i" >/dev/null 2>&1 || true
    done
    lxc project delete "$p" >/dev/null 2>&1 || log "harness: could not delete LXD project $p"
  done
  lxc network delete "$bridge" >/dev/null 2>&1 || true
  lxc network delete "${bridge}e" >/dev/null 2>&1 || true
  nft delete table inet "rockpool_$bridge" 2>/dev/null || true
  rm -rf "$dir"
}

# Private Rockpools of earlier runs whose suite is gone (killed, or the machine restarted).
purge_stale_private() {
  local project owner dir id
  for project in $(lxc project list --format csv 2>/dev/null | cut -d, -f1 | sed 's/ (current)//' | grep '^rpt-' || true); do
    owner=$(lxc project get "$project" user.rockpool.owner 2>/dev/null || true)
    case $owner in "$TEST_PREFIX"*/state | "$TEST_PREFIX"*/engine) ;; *) continue ;; esac
    dir=${owner%/*}
    project=${project%-e}
    [ -f "$dir/suite.pid" ] && kill -0 "$(cat "$dir/suite.pid")" 2>/dev/null && continue
    id=${project#rpt-}
    log "harness: removing the private Rockpool of an earlier run ($project)"
    purge_private "$dir" "$project" "rpt$id"
  done
  for dir in "$TEST_PREFIX"*; do
    [ -d "$dir" ] || continue
    [ -f "$dir/suite.pid" ] && kill -0 "$(cat "$dir/suite.pid")" 2>/dev/null && continue
    id=${dir#"$TEST_PREFIX"}
    purge_private "$dir" "rpt-$id" "rpt$id"
  done
}

# Brings up a private Rockpool and exports the settings that point rockpool, the tests and
# lxc at it. Sets PRIVATE_DIR, PRIVATE_PROJECT, PRIVATE_BRIDGE.
start_private() {
  purge_stale_private
  local id; id=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
  PRIVATE_DIR=$TEST_PREFIX$id PRIVATE_PROJECT=rpt-$id PRIVATE_BRIDGE=rpt$id
  install -d -m 0700 "$PRIVATE_DIR" "$PRIVATE_DIR/state" "$PRIVATE_DIR/log"
  echo "${ROCKPOOL_SUITE_PID:-$$}" >"$PRIVATE_DIR/suite.pid"
  export ROCKPOOL_STATE_DIR="$PRIVATE_DIR/state" ROCKPOOL_LOG_DIR="$PRIVATE_DIR/log"
  export ROCKPOOL_PROJECT=$PRIVATE_PROJECT ROCKPOOL_BRIDGE=$PRIVATE_BRIDGE
  ROCKPOOL_SUBNET=$(free_subnet); export ROCKPOOL_SUBNET
  ROCKPOOL_CONTROL_PORT=$(free_port); ROCKPOOL_WORKSPACE_PORT=$(free_port)
  export ROCKPOOL_CONTROL_PORT ROCKPOOL_WORKSPACE_PORT
  # Workspaces on paths of the workspace port, unless PRIVATE_ORIGIN_PORTS gives port mode a
  # range (never the deployment's own, the default one).
  export ROCKPOOL_ORIGIN_PORTS=${PRIVATE_ORIGIN_PORTS:-off}
  export ROCKPOOL_USERNAME=admin
  # Tests look at workspaces' instances by their cold names ("rp-<name>"), so the private
  # Rockpool keeps no warm pool unless ROCKPOOL_TEST_WARM_POOL asks for one (the warm pool's
  # own tests start Rockpools that do).
  export ROCKPOOL_WARM_POOL=${ROCKPOOL_TEST_WARM_POOL:-0}
  ROCKPOOL_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+='); export ROCKPOOL_PASSWORD
  lxc_conf_for "$PRIVATE_DIR/lxc" "$PRIVATE_PROJECT"
  export LXD_CONF="$PRIVATE_DIR/lxc"
  # What the browser tests read.
  export ROCKPOOL_APP_URL="http://localhost:$ROCKPOOL_CONTROL_PORT/app"
  export ROCKPOOL_WORKSPACE_URL="http://localhost:$ROCKPOOL_WORKSPACE_PORT/workspace/test/"
  log "harness: private Rockpool in $PRIVATE_DIR: project $PRIVATE_PROJECT, bridge $PRIVATE_BRIDGE ($ROCKPOOL_SUBNET), ports $ROCKPOOL_CONTROL_PORT and $ROCKPOOL_WORKSPACE_PORT, origins $ROCKPOOL_ORIGIN_PORTS"
  "$ROCKPOOL_ROOT/build/rockpool" up >"$PRIVATE_DIR/up.log" 2>&1 ||
    { tail -30 "$PRIVATE_DIR/up.log"; return 1; }
  # The engine-level tests (runtime, limits, network) make instances of their own: in a second
  # project, where the private Rockpool's reconciler does not take them for strays.
  # It has a bridge of its own too: LXD refuses two running instances of one name on a bridge,
  # whatever their projects (each template is named after its image).
  local engine=$PRIVATE_PROJECT-e
  lxc network create "${PRIVATE_BRIDGE}e" ipv4.address="$(free_subnet)" ipv4.nat=true ipv6.address=none >/dev/null &&
    lxc project create "$engine" -c features.images=false -c features.profiles=true \
      -c features.storage.volumes=false -c user.rockpool.owner="$PRIVATE_DIR/engine" >/dev/null &&
    lxc profile device add default root disk path=/ pool="$ROCKPOOL_POOL" --project "$engine" >/dev/null &&
    lxc profile device add default eth0 nic network="${PRIVATE_BRIDGE}e" name=eth0 --project "$engine" >/dev/null ||
    { log "harness: could not make LXD project $engine"; return 1; }
  lxc_conf_for "$PRIVATE_DIR/lxc-engine" "$engine"
  export ROCKPOOL_TEST_ENGINE_PROJECT=$engine ROCKPOOL_TEST_ENGINE_LXD_CONF="$PRIVATE_DIR/lxc-engine"
  export ROCKPOOL_TEST_ENGINE_BRIDGE="${PRIVATE_BRIDGE}e"
}

stop_private() {
  [ -n "${PRIVATE_DIR:-}" ] || return 0
  log "harness: removing the private Rockpool ($PRIVATE_PROJECT)"
  (unset LXD_CONF; purge_private "$PRIVATE_DIR" "$PRIVATE_PROJECT" "$PRIVATE_BRIDGE")
  PRIVATE_DIR=
}

# The suite's PostgreSQL, for the store and job tests on PostgreSQL (src/store/testing/
# test_postgres.h makes a database per test in it): a cluster of its own in /tmp/rockpool-pg.<id>,
# run by the postgres user, listening only on a unix socket in that folder (nothing on TCP, so
# no port to collide with), without fsync. Exported as ROCKPOOL_TEST_POSTGRES.
PG_BIN=/usr/lib/postgresql/15/bin
PG_PREFIX=/tmp/rockpool-pg.
stop_test_postgres_at() {  # stop_test_postgres_at <folder>: stops its cluster, removes the folder
  [ -f "$1/data/postmaster.pid" ] &&
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$1"
}
start_test_postgres() {
  local d
  for d in "$PG_PREFIX"*; do  # left by a run that was killed
    [ -d "$d" ] && [ -f "$d/suite.pid" ] && ! kill -0 "$(cat "$d/suite.pid")" 2>/dev/null &&
      stop_test_postgres_at "$d"
  done
  TEST_PG_DIR=$(mktemp -d "${PG_PREFIX}XXXXXX")
  echo "${ROCKPOOL_SUITE_PID:-$$}" >"$TEST_PG_DIR/suite.pid"
  chown postgres: "$TEST_PG_DIR"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$TEST_PG_DIR/data" -U rockpool_test -A trust \
    --no-sync --no-locale -E UTF8 >"$TEST_PG_DIR/initdb.log" 2>&1 ||
    { tail -5 "$TEST_PG_DIR/initdb.log"; return 1; }
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/data/server.log" \
    -w -o "-k $TEST_PG_DIR -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { tail -5 "$TEST_PG_DIR/data/server.log"; return 1; }
  export ROCKPOOL_TEST_POSTGRES=$TEST_PG_DIR
  log "harness: PostgreSQL for the store tests in $TEST_PG_DIR"
}
stop_test_postgres() {
  [ -n "${TEST_PG_DIR:-}" ] || return 0
  stop_test_postgres_at "$TEST_PG_DIR"
  TEST_PG_DIR=
  unset ROCKPOOL_TEST_POSTGRES
}
