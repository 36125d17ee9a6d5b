# shellcheck shell=bash disable=SC2034  # sets globals for build.sh
# code-server from the npm registry, installed on the host into a cache directory that later
# builds with the same versions reuse. Native modules are built against NODE_DIR's headers.

# Sets CODE_SERVER_DIR to a self-contained code-server directory (the package with its
# dependencies in its own node_modules/), which the image gets as /opt/code-server.
# (npm install --global breaks: code-server's postinstall runs npm again, which inherits
# the global flag.)
install_code_server() {
  local prefix="${CACHE_DIR}/code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}"
  CODE_SERVER_DIR="${prefix}/code-server"
  if [[ -f "${prefix}/.complete" ]]; then
    info "reusing ${prefix}"
    return 0
  fi
  rm -rf "${prefix}" "${prefix}.partial"
  mkdir -p "${prefix}.partial"
  local tmpdir="${prefix}.partial/tmp"
  seed_ripgrep_cache "${tmpdir}"
  info "npm install code-server@${CODE_SERVER_VERSION} (1-3 minutes; log ${prefix}.partial/npm.log)"
  if ! (
    cd "${prefix}.partial" &&
      PATH="${NODE_DIR}/bin:${PATH}" TMPDIR="${tmpdir}" \
        npm_config_nodedir="${NODE_DIR}" npm_config_unsafe_perm=true npm_config_yes=true \
        npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false \
        npm install --no-save --omit=dev --prefix "${prefix}.partial" \
        "code-server@${CODE_SERVER_VERSION}" >npm.log 2>&1
  ); then
    tail -n 20 "${prefix}.partial/npm.log" >&2
    die "npm install code-server@${CODE_SERVER_VERSION} failed (log ${prefix}.partial/npm.log): install build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev"
  fi
  rm -rf "${tmpdir}" "${prefix}.partial/npm.log"
  # The package's dependencies were hoisted beside it; put them inside it.
  mv "${prefix}.partial/node_modules/code-server" "${prefix}.partial/code-server"
  mv "${prefix}.partial/node_modules" "${prefix}.partial/code-server/node_modules"
  rm -f "${prefix}.partial/package.json" "${prefix}.partial/package-lock.json"
  check_native_modules "${prefix}.partial/code-server"
  mv "${prefix}.partial" "${prefix}"
  touch "${prefix}/.complete"
}

# @vscode/ripgrep downloads rg from GitHub unless its cache holds the tarball; Debian's rg
# (a static-enough binary for the image's glibc) stands in for it.
seed_ripgrep_cache() {
  local cache="$1/vscode-ripgrep-cache-${VSCODE_RIPGREP_VERSION}"
  mkdir -p "${cache}"
  local stage
  stage="$(mktemp -d)"
  cp /usr/bin/rg "${stage}/rg"
  tar -czf "${cache}/${VSCODE_RIPGREP_TARBALL}" -C "${stage}" rg
  rm -rf "${stage}"
}

# Loads every native module built here (node-gyp's build/Release, argon2's binding/) with the
# image's node, so an ABI mismatch or a missing library fails the build rather than a
# workspace. Prebuilt modules for other platforms (win32, musl) are skipped; Windows-only
# modules build as empty stubs that "did not self-register" on Linux and are never loaded.
check_native_modules() {
  local dir="$1" mod err failed=0
  while IFS= read -r mod; do
    err="$("${NODE_DIR}/bin/node" -e "require(process.argv[1])" "${mod}" 2>&1)" && continue
    grep -q 'did not self-register' <<<"${err}" && continue
    echo "    cannot load ${mod} with node ${NODE_VERSION}: $(grep -m1 Error <<<"${err}")" >&2
    failed=1
  done < <(find "${dir}" -name '*.node' \( -path '*/build/Release/*' -o -path '*/binding/*' \) \
    -not -path '*/obj.target/*')
  [[ "${failed}" == 0 ]] ||
    die "native modules of code-server do not load with node ${NODE_VERSION}: remove ${CACHE_DIR}/code-server-* and rebuild"
}

# overlay/usr/local/lib/rockpool/code-server.js runs code-server's server in one process
# through these functions; a code-server version without them fails the build here rather
# than every workspace's start.
check_launcher_contract() {
  local dir="$1"
  "${NODE_DIR}/bin/node" -e '
    const dir = process.argv[1];
    const cli = require(dir + "/out/node/cli");
    const main = require(dir + "/out/node/main");
    const missing = [
      ["cli.parse", cli.parse], ["cli.readConfigFile", cli.readConfigFile],
      ["cli.setDefaults", cli.setDefaults], ["main.runCodeServer", main.runCodeServer],
    ].filter(([, f]) => typeof f !== "function").map(([name]) => name);
    const serverMain = require("fs").readFileSync(dir + "/lib/vscode/out/server-main.js", "utf8");
    if (!serverMain.includes("CODE_SERVER_PARENT_PID")) missing.push("server-main.js CODE_SERVER_PARENT_PID");
    if (missing.length) { console.error(missing.join(", ")); process.exit(1); }
    process.exit(0);
  ' "${dir}" ||
    die "code-server ${CODE_SERVER_VERSION} lacks what overlay/usr/local/lib/rockpool/code-server.js calls (above): adapt that file to this version"
}
