// Instance hardening: what every workspace instance carries so that code inside it reaches
// neither other workspaces nor the engine:
//  - eth0 on the workspace bridge with security.port_isolation (the kernel's isolated bridge
//    port: no frame passes between two isolated ports), security.mac_filtering and
//    security.ipv4_filtering (the daemon reserves the instance's DHCP address and drops frames
//    with any other source MAC or IPv4 address, ARP included) and security.ipv6_filtering
//    (the bridge has no IPv6: every IPv6 frame is dropped);
//  - security.idmap.isolated: a host uid/gid range of its own, so a process that escapes one
//    workspace owns no file of another;
//  - security.devlxd=false: no /dev/lxd socket into the daemon.
// The host side of the bridge (what reaches the host, hairpin, metadata) is network/firewall.h.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "runtime/incus/incus_client.h"
#include "runtime/incus/instances.h"

namespace rockpool::incus {

struct IncusRuntimeOptions;

struct Hardening {
  std::string network = "rpbr0";  // the managed bridge workspaces' eth0 joins
  bool isolated_idmap = true;
};
Hardening HardeningOf(const IncusRuntimeOptions& options);

inline constexpr char kNicDevice[] = "eth0";

Config HardenedConfig(const Hardening& hardening);
// Replaces the profile's eth0 on the instance.
Device HardenedNic(const Hardening& hardening);
// Adds the hardened config and eth0 to an instance about to be made.
void AddHardening(InstancesPost& post, const Hardening& hardening);
// What `instance` lacks (its local config and devices); empty when everything is in place.
InstancePatch MissingHardening(const Instance& instance, const Hardening& hardening);
// Adds what MissingHardening finds; no call when nothing is missing. REQUIRES: `instance` is
// stopped (an id map change is applied, by a remap of its files, at its next start).
Status Harden(IncusClient& client, const Instance& instance, const Hardening& hardening);

// True when the daemon will remap the instance's files at its next start: its id map
// (volatile.idmap.next) is not the one its files have (volatile.last_state.idmap).
bool IdmapPending(const Instance& instance);
// Starts and force-stops `name` when IdmapPending, so the remap happens now instead of in the
// first start of the workspace it becomes: LXD 5.0.2 remaps a btrfs root file by file rather
// than with an idmapped mount, which for a copy with an isolated map costs seconds.
Status ShiftIdmap(IncusClient& client, const std::string& name, std::chrono::seconds timeout);

// One protection over all workspace instances, for `rockpool doctor`.
struct HardeningCheck {
  std::string what;  // "nic isolation", "isolated idmap", "devlxd"
  bool ok = false;
  std::string detail;
  std::string fix;
};
// Looks at every workspace instance (label user.rockpool.workspace, not a template).
Result<std::vector<HardeningCheck>> CheckHardening(IncusClient& client, const Hardening& hardening);

}  // namespace rockpool::incus
