// Firewall: the host-side rules that keep workspaces on their bridge away from the host and
// from each other's services. The engine gives each workspace NIC port isolation and
// anti-spoofing (runtime/incus/hardening.h); these rules cover what passes through the host:
//  - bridge -> host: only replies, DHCP, and DNS to the gateway address;
//  - bridge -> bridge through the gateway (hairpin), and anything else routed into the bridge
//    that is not a reply: dropped;
//  - bridge -> 169.254.0.0/16 (cloud metadata): dropped;
//  - bridge -> other networks (through the engine's NAT): allowed unless egress is off, minus
//    the private ranges in the policy.
// Implementations install them idempotently and report whether what is in place is current.
#pragma once

#include <string>

#include "core/status.h"

namespace rockpool {

// What Check found.
struct FirewallCheck {
  bool in_place = false;  // the rules are installed and match the policy
  std::string detail;     // what was found, for `rockpool doctor` and logs
  std::string fix;        // what to do when !in_place
};

class Firewall {
 public:
  virtual ~Firewall() = default;
  // Installs the rules unless exactly these are in place, in one atomic step (never a moment
  // with half of them). Returns true when it had to install or replace them.
  virtual Result<bool> Ensure() = 0;
  // Reads what is in place without changing anything. Non-ok only when it cannot tell.
  virtual Result<FirewallCheck> Check() = 0;
};

}  // namespace rockpool
