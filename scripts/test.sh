#!/usr/bin/env bash
# Runs the whole test suite: unit tests (also under ASan/UBSan), integration tests against the
# real LXD daemon and Caddy, and browser tests in headless Chromium, all against a private
# Rockpool (scripts/harness.sh) while a sentinel watches the deployment people use. Installs
# what it needs.
source "$(dirname "$0")/lib.sh"
setup_host

RESULTS=()
run_suite() {  # run_suite <label> <command...>: runs one suite, records its outcome
  local label=$1; shift
  log "test: $label"
  if "$@"; then RESULTS+=("pass:$label"); else RESULTS+=("FAIL:$label"); fi
}
# ctest_suite <label> <build dir> <ctest arguments...>: run_suite for ctest; the names of the
# tests that failed are repeated beside the summary at the end, where a reader of the tail sees them.
FAILED_TESTS=()
ctest_suite() {
  local label=$1 dir=$2; shift 2
  rm -f "$dir/junit.xml"  # ctest writes it there, in the build directory
  run_suite "$label" ctest --test-dir "$dir" --output-on-failure --output-junit junit.xml "$@"
  [ "${RESULTS[-1]}" = "pass:$label" ] && return
  local t
  while IFS= read -r t; do FAILED_TESTS+=("$label: $t"); done \
    < <(python3 "$ROCKPOOL_ROOT/scripts/failed_tests.py" "$dir" 2>&1)
}

rp="$ROCKPOOL_ROOT/build/rockpool"
source "$ROCKPOOL_ROOT/scripts/harness.sh"

# 1. The deployment people use, as the README's first command brings it up; the suite then
#    leaves it alone, and a sentinel proves it (tests/hermetic/deployment_sentinel.mjs).
#    The suite chooses the deployment's password only when it creates the deployment's
#    credentials itself (a fresh machine), and keeps it, root's alone, for later runs.
deployment_pw_file=${XDG_CONFIG_HOME:-$HOME/.config}/rockpool-test/deployment-password
deployment_up() {
  if [ ! -f "$ROCKPOOL_STATE/auth.json" ] && [ -z "${ROCKPOOL_DEPLOYMENT_PASSWORD:-}" ]; then
    install -d -m 0700 "$(dirname "$deployment_pw_file")"
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$deployment_pw_file")
    env -u LXD_CONF ROCKPOOL_USERNAME=admin ROCKPOOL_PASSWORD="$(cat "$deployment_pw_file")" "$rp" up
  else
    env -u LXD_CONF -u ROCKPOOL_USERNAME -u ROCKPOOL_PASSWORD "$rp" up
  fi
}
run_suite "the deployment is up (rockpool up)" deployment_up

npm_install "$ROCKPOOL_ROOT/tests/browser"
sentinel_dir=$(mktemp -d /tmp/rockpool-sentinel.XXXXXX)
sentinel_pid=
deployment_pw=${ROCKPOOL_DEPLOYMENT_PASSWORD:-$(cat "$deployment_pw_file" 2>/dev/null || true)}
# The deployment's project, ports, files and sockets, as its settings (the environment `up` ran
# in) give them.
deployment_setting() { env -u LXD_CONF "$rp" paths | awk -v k="$1" '$1 == k { print $2 }'; }
# Without the password (the deployment's credentials were made before, by `up`), the sentinel
# opens the IDE through its root-only socket instead of through Caddy; see the sentinel.
deployment_project=$(deployment_setting project)
lxc_conf_for "$sentinel_dir/lxc" "$deployment_project"
[ -n "$deployment_pw" ] ||
  log "test: the deployment's password is unknown to the suite (ROCKPOOL_DEPLOYMENT_PASSWORD): the sentinel opens its IDE through the IDE's socket"
LXD_CONF="$sentinel_dir/lxc" ROCKPOOL_PASSWORD="$deployment_pw" \
  ROCKPOOL_USERNAME="$([ -n "$deployment_pw" ] && echo admin)" \
  ROCKPOOL_DEPLOYMENT_PROJECT="$deployment_project" \
  ROCKPOOL_DEPLOYMENT_CONTROL_PORT="$(deployment_setting api-port)" \
  ROCKPOOL_DEPLOYMENT_WORKSPACE_PORT="$(deployment_setting ws-port)" \
  ROCKPOOL_DEPLOYMENT_AUTH="$(deployment_setting auth)" \
  ROCKPOOL_DEPLOYMENT_SOCKETS="$(deployment_setting sockets)" \
  ROCKPOOL_DEPLOYMENT_LOCAL_API="$(deployment_setting local-api)" \
  node "$ROCKPOOL_ROOT/tests/hermetic/deployment_sentinel.mjs" "$sentinel_dir" >"$sentinel_dir/log" 2>&1 &
sentinel_pid=$!
for _ in $(seq 300); do
  [ -f "$sentinel_dir/ready" ] || [ -f "$sentinel_dir/failed" ] || ! kill -0 "$sentinel_pid" 2>/dev/null && break
  sleep 1
done
[ -f "$sentinel_dir/ready" ] && log "test: sentinel has the deployment's IDE open with a terminal" ||
  { cat "$sentinel_dir/log"; RESULTS+=("FAIL:the deployment's IDE opens (sentinel)"); }

# 2. A private Rockpool for every test (scripts/harness.sh), removed at the end.
# On any exit, also one that stops half-way: the private Rockpool goes, the sentinel too.
# The trap keeps the suite's exit status: nothing in it may fail the run under set -e.
lint_pid= asan_pid=
kill_tree() {  # kill_tree <pid>: ends a process and everything it started
  local c
  for c in $(pgrep -P "$1"); do kill_tree "$c"; done
  kill "$1" 2>/dev/null
}
cleanup() {
  local rc=$?
  set +e
  stop_private
  stop_test_postgres
  local p
  for p in $lint_pid $asan_pid; do kill_tree "$p"; done
  [ -n "$sentinel_pid" ] && kill "$sentinel_pid" 2>/dev/null
  rm -rf "$sentinel_dir"
  exit "$rc"
}
trap cleanup EXIT
# Idle checks every 2 s (instead of 15 s) shorten the idle tests (timeouts stay the default),
# and a cap of 3 snapshots the snapshot tests.
export ROCKPOOL_IDLE_CHECK_INTERVAL=2s ROCKPOOL_MAX_SNAPSHOTS=3
suite_log_dir=$ROCKPOOL_LOG_DIR  # the private Rockpool has a log folder of its own
run_suite "private Rockpool up" start_private
run_suite "PostgreSQL for the store tests up" start_test_postgres

# Lint and the ASan/UBSan build are mostly CPU; the integration tests mostly wait (on LXD, on
# instances booting). The two run beside the tests in the idle scheduling class (SCHED_IDLE):
# they get only the CPU time the tests leave unused, so the tests run as they would alone.
idle=(chrt --idle 0)
"${idle[@]}" true 2>/dev/null || idle=(nice -n 19)  # where SCHED_IDLE is not allowed
log "test: lint and the ASan/UBSan build (cmake preset asan) start beside the tests (${idle[*]})"
"${idle[@]}" "$ROCKPOOL_ROOT/scripts/lint.sh" "$ROCKPOOL_ROOT/build" >"$suite_log_dir/lint.log" 2>&1 &
lint_pid=$!
("${idle[@]}" cmake --preset asan -S "$ROCKPOOL_ROOT" >"$suite_log_dir/cmake-asan.log" 2>&1 &&
  "${idle[@]}" cmake --build "$ROCKPOOL_ROOT/build-asan" -j"$(nproc)" --target unit_tests \
    >"$suite_log_dir/build-asan.log" 2>&1) &
asan_pid=$!

ctest_suite "unit tests" "$ROCKPOOL_ROOT/build" -L unit -j2
ctest_suite "integration tests" "$ROCKPOOL_ROOT/build" -LE unit -j1

log "test: lint"
wait "$lint_pid" && RESULTS+=("pass:lint") || RESULTS+=("FAIL:lint")
lint_pid=
cat "$suite_log_dir/lint.log"
log "test: ASan/UBSan build"
if wait "$asan_pid"; then
  asan_pid=
  ctest_suite "unit tests under ASan/UBSan" "$ROCKPOOL_ROOT/build-asan" -L unit -j2
else
  asan_pid=
  grep -E 'error' "$suite_log_dir/build-asan.log" | head -20
  RESULTS+=("FAIL:the ASan/UBSan build (log: $suite_log_dir/build-asan.log)")
fi

if [ -f "$ROCKPOOL_ROOT/tests/browser/package.json" ]; then
  run_suite "browser tests" node --test --test-concurrency=1 "$ROCKPOOL_ROOT/tests/browser/"
  run_suite "browser attacks" node --test --test-concurrency=1 "$ROCKPOOL_ROOT/tests/security/"
  run_suite "browser idle stop" node --test --test-concurrency=1 "$ROCKPOOL_ROOT/tests/integration/idle/"
  # The same dashboard tests on `rockpool serve --dev` (simulated runtime, no LXD or Caddy).
  run_suite "dashboard on serve --dev" env -u ROCKPOOL_APP_URL -u ROCKPOOL_USERNAME -u ROCKPOOL_PASSWORD \
    node --test --test-concurrency=1 "$ROCKPOOL_ROOT/tests/browser/dashboard/"
fi

stop_private

# Port mode, the default: the URLs the CLI prints, the origin attack, the IDE and the dashboard
# in Chromium, on a private Rockpool that serves each workspace IDE and forwarded port on an
# origin of its own.
port_mode_urls() {
  local url port first=${ROCKPOOL_ORIGIN_PORTS%-*} last=${ROCKPOOL_ORIGIN_PORTS#*-}
  url=$("$ROCKPOOL_ROOT/build/rockpool" ws open test) || return 1
  port=${url#http://localhost:}; port=${port%/}
  if [ "$url" != "http://localhost:$port/" ] || [ "$port" -lt "$first" ] || [ "$port" -gt "$last" ]; then
    log "port mode: ws open printed \"$url\", not an origin of $ROCKPOOL_ORIGIN_PORTS"; return 1
  fi
  grep -qF "workspace \"test\": $url" "$PRIVATE_DIR/up.log" ||
    { log "port mode: up did not print $url"; tail -5 "$PRIVATE_DIR/up.log"; return 1; }
  # verify follows the path URL's redirect to the origin and finds the workbench there.
  "$ROCKPOOL_ROOT/build/rockpool" verify test
}
if [ -f "$ROCKPOOL_ROOT/tests/browser/package.json" ]; then
  if PRIVATE_ORIGIN_PORTS=$(free_port_range 20) && start_private; then
    run_suite "port mode: up, ws open and verify name the origin" port_mode_urls
    run_suite "port mode: origin attacks" node --test --test-concurrency=1 \
      "$ROCKPOOL_ROOT/tests/security/origin_attack.test.mjs"
    run_suite "port mode: IDE and dashboard in Chromium" node --test --test-concurrency=1 \
      "$ROCKPOOL_ROOT/tests/browser/ide.test.mjs" "$ROCKPOOL_ROOT/tests/browser/dashboard/"
  else
    RESULTS+=("FAIL:port mode: the private Rockpool did not start")
  fi
  stop_private
  unset PRIVATE_ORIGIN_PORTS
fi
stop_test_postgres

# 3. The deployment after the suite: the sentinel's findings.
if [ -n "$sentinel_pid" ]; then
  touch "$sentinel_dir/check"
  if wait "$sentinel_pid"; then RESULTS+=("pass:the deployment was left alone (sentinel)")
  else RESULTS+=("FAIL:the deployment was left alone (sentinel)"); fi
  sed -n '/^  /p;/sentinel:/p' "$sentinel_dir/log"
fi
rm -rf "$sentinel_dir"

passed=0; failed=0
for r in "${RESULTS[@]}"; do
  case $r in pass:*) passed=$((passed+1)); echo "  ok    ${r#pass:}";; *) failed=$((failed+1)); echo "  FAIL  ${r#FAIL:}";; esac
done
for t in "${FAILED_TESTS[@]}"; do echo "  failed test: $t"; done
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
