// NftFirewall: the Firewall as an nftables table (nft_rules.h), through the `nft` program.
// Check lists the table (one `nft list table`, a few milliseconds) and compares it with the
// rendering; Ensure replaces the whole table in one `nft -f` transaction when they differ.
#pragma once

#include <string>

#include "network/firewall.h"
#include "network/firewall_policy.h"
#include "sys/process.h"

namespace rockpool {

class NftFirewall final : public Firewall {
 public:
  // REQUIRES: ValidateFirewallPolicy(policy).ok() (MakeFirewallPolicy makes such policies).
  // `runner` must outlive this. `nft` is the program to run. `script_dir` holds the script
  // for the moment `nft -f` reads it.
  NftFirewall(ProcessRunner& runner, FirewallPolicy policy, std::string nft = "nft",
              std::string script_dir = "/tmp");

  Result<bool> Ensure() override;
  Result<FirewallCheck> Check() override;

  const FirewallPolicy& policy() const { return policy_; }

 private:
  // The table as nft lists it; "" when it does not exist.
  Result<std::string> ListTable();
  Status Load(const std::string& script);
  FirewallCheck Compare(const std::string& listing) const;

  ProcessRunner& runner_;
  const FirewallPolicy policy_;
  const std::string nft_;
  const std::string script_dir_;
  const std::string table_;
};

}  // namespace rockpool
