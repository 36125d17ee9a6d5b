# shellcheck shell=bash
# Puts Node.js, npm and code-server into the root filesystem; provision.sh does the rest.

# install_node <rootfs>: node to /usr/local/bin, npm beside it.
install_node() {
  local root="$1"
  install -D -m 0755 "${NODE_DIR}/bin/node" "${root}/usr/local/bin/node"
  rm -rf "${root}/usr/local/lib/node_modules/npm"
  mkdir -p "${root}/usr/local/lib/node_modules"
  cp -a "${NPM_DIR}" "${root}/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "${root}/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "${root}/usr/local/bin/npx"
}

# install_code_server_into <rootfs>: /opt/code-server, build leftovers dropped.
install_code_server_into() {
  local root="$1"
  rm -rf "${root}/opt/code-server"
  mkdir -p "${root}/opt"
  cp -a "${CODE_SERVER_DIR}" "${root}/opt/code-server"
  find "${root}/opt/code-server" -type d \( -name obj.target -o -name .deps -o -name "build-tmp-*" \) -prune \
    -exec rm -rf {} +
  chown -R 0:0 "${root}/opt/code-server"
}

# configure_system <rootfs>: provision.sh, the provisioning both images share, run in the
# root filesystem.
configure_system() {
  local root="$1" stage=/tmp/rockpool-recipe
  rm -rf "${root}${stage}"
  mkdir -p "${root}${stage}"
  cp -a "${RECIPE_DIR}/provision.sh" "${RECIPE_DIR}/overlay" "${root}${stage}/"
  chroot "${root}" "${stage}/provision.sh" container "${stage}" ||
    die "provision.sh container failed in ${root} (above)"
  rm -rf "${root}${stage}"
}
