#include "network/nft_firewall.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "network/nft_rules.h"

namespace rockpool {
namespace {

bool SaysMissing(const std::string& output) {
  return output.find("No such file or directory") != std::string::npos;
}

std::string FirstLine(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  return line.empty() ? "(no output)" : line;
}

}  // namespace

NftFirewall::NftFirewall(ProcessRunner& runner, FirewallPolicy policy, std::string nft,
                         std::string script_dir)
    : runner_(runner),
      policy_(std::move(policy)),
      nft_(std::move(nft)),
      script_dir_(std::move(script_dir)),
      table_("inet " + FirewallTableName(policy_.bridge)) {}

Result<std::string> NftFirewall::ListTable() {
  auto run =
      runner_.Run({.argv = {nft_, "list", "table", "inet", FirewallTableName(policy_.bridge)}});
  if (!run.ok()) {
    return run.status().WithContext("firewall: list table " + table_ + " (is nftables installed?)");
  }
  if (run->exit_code == 0) return run->output;
  if (SaysMissing(run->output)) return std::string();
  return Status::Unavailable("firewall: " + nft_ + " list table " + table_ + " exited " +
                             std::to_string(run->exit_code) + ": " + FirstLine(run->output));
}

FirewallCheck NftFirewall::Compare(const std::string& listing) const {
  const std::string fix =
      "rockpool up (a running control plane restores it within one reconcile pass)";
  if (listing.empty()) {
    return {false,
            "nftables table " + table_ + " is missing: workspaces on " + policy_.bridge +
                " can reach host services",
            fix};
  }
  const std::string want = FirewallDigest(policy_);
  const std::string have = DigestInListing(listing);
  if (have != want) {
    return {false,
            "nftables table " + table_ + " holds other rules (" +
                (have.empty() ? "not Rockpool's" : "digest " + have) + ", want " + want + ")",
            fix};
  }
  if (ListingLines(listing) != ListingLines(RenderFirewallTable(policy_))) {
    return {false, "nftables table " + table_ + " was changed by hand since it was installed", fix};
  }
  return {true,
          "nftables table " + table_ + " in place (" + want + ", egress " +
              (policy_.egress ? "on" : "off") + ")",
          ""};
}

Result<FirewallCheck> NftFirewall::Check() {
  RP_ASSIGN_OR_RETURN(std::string listing, ListTable());
  return Compare(listing);
}

Status NftFirewall::Load(const std::string& script) {
  std::string path = script_dir_ + "/rockpool-nft-XXXXXX";
  int fd = mkstemp(path.data());  // 0600, a name nobody else holds
  if (fd < 0) return Status::Internal("firewall: create a script file in " + script_dir_);
  close(fd);
  {
    std::ofstream out(path, std::ios::trunc);
    out << script;
    if (!out.flush()) {
      unlink(path.c_str());
      return Status::Internal("firewall: write " + path);
    }
  }
  auto run = runner_.Run({.argv = {nft_, "-f", path}});
  unlink(path.c_str());
  if (!run.ok()) {
    return run.status().WithContext("firewall: load table " + table_ + " (is nftables installed?)");
  }
  if (run->exit_code != 0) {
    return Status::Unavailable("firewall: " + nft_ + " -f (table " + table_ + ") exited " +
                               std::to_string(run->exit_code) + ": " + FirstLine(run->output));
  }
  return Status::Ok();
}

Result<bool> NftFirewall::Ensure() {
  RP_ASSIGN_OR_RETURN(FirewallCheck before, Check());
  if (before.in_place) return false;
  RP_RETURN_IF_ERROR(Load(RenderFirewallScript(policy_)));
  RP_ASSIGN_OR_RETURN(FirewallCheck after, Check());
  if (!after.in_place) {
    // The rendering no longer matches how this nft prints rules: a bug, not an attack.
    return Status::Internal("firewall: loaded table " + table_ +
                            " but it lists differently: " + after.detail);
  }
  return true;
}

}  // namespace rockpool
