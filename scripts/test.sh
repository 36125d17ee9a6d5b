#!/usr/bin/env bash
# Runs the whole test suite: unit tests (also under ASan/UBSan), integration tests against the
# real LXD daemon and Caddy, and browser tests in headless Chromium. Installs what it needs.
source "$(dirname "$0")/lib.sh"
setup_host

RESULTS=()
run_suite() {  # run_suite <label> <command...>: runs one suite, records its outcome
  local label=$1; shift
  log "test: $label"
  if "$@"; then RESULTS+=("pass:$label"); else RESULTS+=("FAIL:$label"); fi
}

rp="$ROCKPOOL_ROOT/build/rockpool"
# Tests log in through Caddy's basic auth. Without credentials in the environment, the suite
# sets a fresh password for user "admin" (the deployment's previous one stops working).
export ROCKPOOL_USERNAME=${ROCKPOOL_USERNAME:-admin}
if [ -z "${ROCKPOOL_PASSWORD:-}" ]; then
  ROCKPOOL_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  export ROCKPOOL_PASSWORD
  log "test: credentials for this run: user $ROCKPOOL_USERNAME, password $ROCKPOOL_PASSWORD"
fi
export ROCKPOOL_APP_URL=${ROCKPOOL_APP_URL:-http://localhost:8080/app}
# The integration and browser tests need the image and the proxy; `rockpool up` provides both
# (and workspace "test"), skipping whatever is already in place.
run_suite "rockpool up" "$rp" up
run_suite "unit and integration tests" ctest --test-dir "$ROCKPOOL_ROOT/build" --output-on-failure -j1
run_suite "lint" "$ROCKPOOL_ROOT/scripts/lint.sh" "$ROCKPOOL_ROOT/build"

log "build: ASan/UBSan (cmake preset asan)"
cmake --preset asan -S "$ROCKPOOL_ROOT" >"$ROCKPOOL_LOG_DIR/cmake-asan.log" 2>&1 &&
  cmake --build "$ROCKPOOL_ROOT/build-asan" -j"$(nproc)" --target unit_tests >"$ROCKPOOL_LOG_DIR/build-asan.log" 2>&1 ||
  { grep -E 'error' "$ROCKPOOL_LOG_DIR/build-asan.log" | head -20; die "ASan build failed"; }
run_suite "unit tests under ASan/UBSan" ctest --test-dir "$ROCKPOOL_ROOT/build-asan" -L unit --output-on-failure -j2

if [ -f "$ROCKPOOL_ROOT/tests/browser/package.json" ]; then
  npm_install "$ROCKPOOL_ROOT/tests/browser"
  run_suite "browser tests" node --test --test-concurrency=1 "$ROCKPOOL_ROOT/tests/browser/"
  run_suite "browser attacks" node --test --test-concurrency=1 "$ROCKPOOL_ROOT/tests/security/"
fi

passed=0; failed=0
for r in "${RESULTS[@]}"; do
  case $r in pass:*) passed=$((passed+1)); echo "  ok    ${r#pass:}";; *) failed=$((failed+1)); echo "  FAIL  ${r#FAIL:}";; esac
done
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
