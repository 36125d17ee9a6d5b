// The nftables table that carries a FirewallPolicy: `table inet rockpool_<bridge>`.
// Rules are rendered exactly as `nft list table` (nftables 1.0) prints them back, so a listing
// of the live table compares with the rendering line by line: any rule removed, added or
// changed by hand shows up as drift. The table's comment names a digest of the policy.
#pragma once

#include <string>
#include <vector>

#include "network/firewall_policy.h"

namespace rockpool {

// "rockpool_<bridge>", in family inet.
std::string FirewallTableName(const std::string& bridge);
// 16 hex digits naming the rules (FNV-1a over them): the table's comment carries it.
std::string FirewallDigest(const FirewallPolicy& policy);
// The table as nft lists it. REQUIRES: ValidateFirewallPolicy(policy).ok().
std::string RenderFirewallTable(const FirewallPolicy& policy);
// An `nft -f` script replacing the table in one transaction: create it if missing (so the
// delete cannot fail), delete it, define it anew.
std::string RenderFirewallScript(const FirewallPolicy& policy);
// The lines of an nft listing with indentation and blank lines removed.
std::vector<std::string> ListingLines(const std::string& listing);
// The digest in a listing's `comment "rockpool firewall <digest>"`, "" when there is none.
std::string DigestInListing(const std::string& listing);

}  // namespace rockpool
