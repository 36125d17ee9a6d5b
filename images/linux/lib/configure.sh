# shellcheck shell=bash
# Puts Node.js, npm and code-server into the root filesystem and configures users and units.

# Units that cost boot time and do nothing useful in a workspace container.
MASKED_UNITS=(
  apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service
  dpkg-db-backup.timer dpkg-db-backup.service
  e2scrub_all.timer e2scrub_all.service e2scrub_reap.service fstrim.timer
  man-db.timer man-db.service
  getty@.service serial-getty@.service console-getty.service getty.target
  systemd-resolved.service systemd-timesyncd.service systemd-networkd.service
  systemd-networkd-wait-online.service systemd-udevd.service
  systemd-journald-audit.socket systemd-hwdb-update.service systemd-firstboot.service
  sys-kernel-debug.mount sys-kernel-tracing.mount sys-kernel-config.mount
  dev-hugepages.mount dev-mqueue.mount sys-fs-fuse-connections.mount
  systemd-modules-load.service systemd-sysctl.service systemd-pstore.service
  systemd-random-seed.service systemd-remount-fs.service systemd-binfmt.service
  ifupdown-wait-online.service
)

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

# configure_system <rootfs>
configure_system() {
  local root="$1"
  chroot "${root}" useradd --uid 1000 --user-group --create-home --shell /bin/bash admin
  cp -a "${RECIPE_DIR}/overlay/." "${root}/"
  install -d "${root}/etc/rockpool"  # code-server.yaml is rendered into it at each start
  install -d "${root}/home/admin/workspace"
  chown -R 1000:1000 "${root}/home/admin"
  local out
  out="$(systemctl --root="${root}" enable code-server.service networking.service 2>&1)" ||
    die "systemctl --root enable code-server.service networking.service: ${out//$'\n'/ }"
  out="$(systemctl --root="${root}" mask "${MASKED_UNITS[@]}" 2>&1)" ||
    die "systemctl --root mask: ${out//$'\n'/ }"
  # Each container gets its own identity on first boot.
  : >"${root}/etc/machine-id"
  rm -f "${root}/var/lib/dbus/machine-id" "${root}"/etc/ssh/ssh_host_*
  rm -f "${root}/etc/resolv.conf"
  : >"${root}/etc/resolv.conf"
  rm -rf "${root}"/var/cache/apt/*.bin "${root}"/var/lib/apt/lists/* "${root}"/var/log/*.log
}
