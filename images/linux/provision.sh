#!/bin/bash
# Makes a Debian system a Rockpool workspace: user admin, code-server's launcher, unit and
# settings, the units a workspace does without, and an identity of its own on first boot.
# Both images run this one script, as root, inside the system it provisions:
#   - the LXD/Incus image: build.sh runs it in the image's root filesystem (chroot);
#   - the macOS image: Packer runs it in the Tart VM (images/macos/rockpool-workspace.pkr.hcl).
# Node.js and code-server are installed before it runs (/usr/local/bin/node, /opt/code-server).
#
#   provision.sh container|vm <recipe dir>
#
# container: the network comes from ifupdown on eth0 (overlay/etc/network/interfaces), and
#            code-server listens on loopback, reached through the engine's proxy device.
# vm:        the VM keeps its own network setup; code-server is reached over the VM's network,
#            so the guest firewall (overlay-vm/) lets in only the host that runs the VM.
set -euo pipefail

die() {
  echo "error: provision.sh: $*" >&2
  exit 1
}

[[ $# -eq 2 ]] || die "usage: provision.sh container|vm <recipe dir>"
KIND="$1"
RECIPE="$2"
case "${KIND}" in container | vm) ;; *) die "unknown kind ${KIND}: use container or vm" ;; esac
[[ -d "${RECIPE}/overlay" ]] || die "${RECIPE}/overlay missing: pass the images/linux folder"
[[ "$(id -u)" == 0 ]] || die "must run as root"
[[ -x /usr/local/bin/node && -d /opt/code-server ]] ||
  die "install Node.js (/usr/local/bin/node) and code-server (/opt/code-server) first"

# Units that cost boot time and do nothing useful in a workspace.
MASKED_ALWAYS=(
  apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service
  dpkg-db-backup.timer dpkg-db-backup.service
  e2scrub_all.timer e2scrub_all.service e2scrub_reap.service
  man-db.timer man-db.service
)
# ...and in a container, which has no consoles, devices or kernel settings of its own and gets
# its network from ifupdown.
MASKED_CONTAINER=(
  fstrim.timer
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

# admin (uid 1000) runs code-server and the user's work; it has no sudo: Rockpool configures
# the workspace as root through the engine (exec and file API), never through admin.
id admin >/dev/null 2>&1 || useradd --uid 1000 --user-group --create-home --shell /bin/bash admin

units=(code-server.service)
masked=("${MASKED_ALWAYS[@]}")
if [[ "${KIND}" == container ]]; then
  cp -a "${RECIPE}/overlay/." /
  units+=(networking.service)
  masked+=("${MASKED_CONTAINER[@]}")
else
  # The VM's own network configuration stays: only the workspace's files are laid down.
  (cd "${RECIPE}/overlay" && find . -path ./etc/network -prune -o -type f -print0 |
    xargs -0 -I{} install -D -m 0644 {} /{})
  cp -a "${RECIPE}/overlay-vm/." /
  chmod 0755 /usr/local/lib/rockpool/guest-firewall
  units+=(rockpool-guest-firewall.service rockpool-guest-firewall-gateway.service)
fi
if [[ "${KIND}" == vm ]]; then
  # A VM base image comes with a login for provisioning (Cirrus Labs' Debian: admin/admin, sudo,
  # sshd). None of it outlives provisioning: no password, no sudo, no SSH. The runtime reaches
  # the guest through Tart's guest agent (tart exec) only.
  passwd -l admin >/dev/null
  for group in sudo adm; do gpasswd -d admin "${group}" >/dev/null 2>&1 || true; done
  rm -f /etc/sudoers.d/admin /etc/sudoers.d/90-cloud-init-users
  systemctl disable ssh.service ssh.socket >/dev/null 2>&1 || true
  masked+=(ssh.service ssh.socket)
  # Rockpool reaches the guest only through Tart's guest agent (`tart exec`, over vsock): it
  # writes /etc/rockpool/code-server.yaml and restarts code-server, so the agent runs as root.
  # Cirrus Labs' images run it as admin, which has no sudo any more.
  [[ "$(systemctl is-enabled tart-guest-agent.service 2>/dev/null)" == enabled ]] ||
    die "the base image has no enabled tart-guest-agent.service: the Tart runtime configures the VM through it (tart exec); use a Cirrus Labs image that ships it"
  install -D -m 0644 /dev/stdin /etc/systemd/system/tart-guest-agent.service.d/rockpool.conf <<'UNIT'
[Service]
User=root
Group=root
UNIT
fi
install -d /etc/rockpool # code-server.yaml: written by the runtime before each start
install -d /home/admin/workspace
chown -R 1000:1000 /home/admin

systemctl enable "${units[@]}" >/dev/null 2>&1 || die "systemctl enable ${units[*]} failed"
systemctl mask "${masked[@]}" >/dev/null 2>&1 || die "systemctl mask failed"

# Each workspace gets its own identity on first boot.
: >/etc/machine-id
rm -f /var/lib/dbus/machine-id /etc/ssh/ssh_host_*
if [[ "${KIND}" == container ]]; then
  rm -f /etc/resolv.conf # the engine's DHCP fills it at boot
  : >/etc/resolv.conf
fi
rm -rf /var/cache/apt/*.bin /var/lib/apt/lists/* /var/log/*.log
