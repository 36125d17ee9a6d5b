// FirewallPolicy: what the host firewall lets a workspace bridge do, built from the
// deployment's settings (ROCKPOOL_BRIDGE, ROCKPOOL_SUBNET, ROCKPOOL_EGRESS,
// ROCKPOOL_EGRESS_ALLOW). Every value is validated here: they are written into an nft script.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace rockpool {

// Destinations a workspace never reaches even with egress on, unless listed in `allowed`: the
// private networks (the host's LAN, cloud VPCs, other bridges such as Docker's), carrier-grade
// NAT, multicast and reserved space. Link-local (169.254.0.0/16, cloud metadata) is blocked
// apart from these and cannot be allowed.
inline const std::vector<std::string> kPrivateRanges = {
    "10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"};

struct FirewallPolicy {
  std::string bridge = "rpbr0";
  std::string gateway = "10.187.42.1";  // the host's address on the bridge: DHCP and DNS
  bool egress = true;                   // workspaces may open connections to other networks
  std::vector<std::string> blocked = kPrivateRanges;  // with egress on
  std::vector<std::string> allowed;                   // exceptions to `blocked`
};

// From the settings' text: `subnet` is the gateway's address with its prefix
// ("10.187.42.1/24"), `egress` "on" or "off" ("" means on), `allow` a comma-separated list of
// IPv4 networks ("192.168.1.0/24,10.1.2.3/32") workspaces may still reach with egress on.
Result<FirewallPolicy> MakeFirewallPolicy(const std::string& bridge, const std::string& subnet,
                                          const std::string& egress, const std::string& allow);

// InvalidArgument unless every field is safe to write into a rule.
Status ValidateFirewallPolicy(const FirewallPolicy& policy);

// "a.b.c.d" (prefix false) or "a.b.c.d/n" (prefix true), IPv4 only.
bool IsIpv4(const std::string& text, bool prefix);
// The network "a.b.c.d/n" as nft prints it: host bits cleared, "/32" dropped. "" if invalid.
std::string CanonicalNetwork(const std::string& text);

}  // namespace rockpool
