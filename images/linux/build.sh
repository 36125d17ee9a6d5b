#!/bin/bash
# Builds Rockpool's workspace image for LXD/Incus: Debian 12 (mmdebstrap), Node.js 20 and
# code-server from the npm registry, a code-server systemd unit. Run as root on Debian 12.
#
#   build.sh <output dir>
#
# Writes <output dir>/rockpool-workspace.tar (a unified image: metadata.yaml, templates/,
# rootfs/) and prints "image tarball: <path>" last. Node.js and code-server are cached in
# $ROCKPOOL_IMAGE_CACHE (default /var/cache/rockpool/image) and reused by later builds.
# Environment: ROCKPOOL_DEBIAN_MIRROR (a mirror URL or sources file instead of the host's),
# ROCKPOOL_IMAGE_GZIP=1 (gzip the tarball), ROCKPOOL_RECIPE_DIGEST (recorded in metadata).
set -euo pipefail

RECIPE_DIR="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
source "${RECIPE_DIR}/versions.env"
for lib in common node code_server rootfs configure pack; do
  # shellcheck source=/dev/null
  source "${RECIPE_DIR}/lib/${lib}.sh"
done
# shellcheck disable=SC2034  # read by step() in lib/common.sh
STEP_TOTAL=7

main() {
  [[ $# -eq 1 ]] || die "usage: build.sh <output dir>"
  [[ "$(id -u)" == 0 ]] || die "build.sh must run as root (mmdebstrap, chroot): run it with sudo"
  local out="$1"
  mkdir -p "${out}"
  out="$(cd "${out}" && pwd)"
  CACHE_DIR="${ROCKPOOL_IMAGE_CACHE:-/var/cache/rockpool/image}"
  mkdir -p "${CACHE_DIR}"
  local digest="${ROCKPOOL_RECIPE_DIGEST:-$("${RECIPE_DIR}/digest.sh")}"
  IMAGE_DIR="${out}/${IMAGE_ALIAS}.build"
  local image="${IMAGE_DIR}"
  local tarball="${out}/${IMAGE_ALIAS}.tar"
  [[ "${ROCKPOOL_IMAGE_GZIP:-0}" == 1 ]] && tarball="${tarball}.gz"

  step 1 "checking build tools"
  need mmdebstrap mmdebstrap
  need npm npm
  need rg ripgrep
  need make build-essential
  need g++ build-essential
  need python3 python3
  need pkg-config pkg-config
  local pc
  for pc in libsecret-1 krb5-gssapi x11 xkbfile; do
    pkg-config --exists "${pc}" ||
      die "pkg-config ${pc} missing: apt-get install libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev"
  done

  step 2 "fetching Node.js ${NODE_VERSION} (${NODE_PKG}) and npm ${NPM_VERSION}$(cached "${CACHE_DIR}/${NODE_PKG}-${NODE_VERSION}/package.json")"
  fetch_node

  step 3 "installing code-server ${CODE_SERVER_VERSION}$(cached "${CACHE_DIR}/code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}/.complete")"
  install_code_server
  check_launcher_contract "${CODE_SERVER_DIR}"

  step 4 "building Debian ${DEBIAN_SUITE} root filesystem (mmdebstrap --variant=minbase)"
  rm -rf "${image}"
  mkdir -p "${image}"
  trap 'rm -rf "${IMAGE_DIR}"' EXIT
  build_rootfs "${image}/rootfs"

  step 5 "installing Node.js and code-server into the image"
  install_node "${image}/rootfs"
  install_code_server_into "${image}/rootfs"

  step 6 "configuring user admin, code-server.service, network and boot"
  configure_system "${image}/rootfs"

  step 7 "packing ${tarball##*/}"
  write_metadata "${image}" "${digest}"
  pack_image "${image}" "${tarball}"
  info "$(du -h "${tarball}" | cut -f1) recipe ${digest:0:12}"
  echo "image tarball: ${tarball}"
}

# cached <marker file>: " (cached)" when a previous build left the marker.
cached() {
  [[ -f "$1" ]] && echo " (cached)"
  return 0
}

main "$@"
