#include "network/nft_firewall.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "network/nft_rules.h"

namespace rockpool {
namespace {

// Stands in for the `nft` program: keeps one table's listing, loads scripts the way
// RenderFirewallScript writes them, and records the scripts it loaded.
class FakeNft final : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessSpec& spec) override {
    ran.push_back(spec.argv);
    if (!installed) return Status::Unavailable("exec nft: No such file or directory");
    if (spec.argv.size() == 5 && spec.argv[1] == "list") {
      if (table.empty()) {
        return ProcessResult{
            1, "Error: No such file or directory\nlist table inet " + spec.argv[4] + "\n"};
      }
      return ProcessResult{0, table};
    }
    if (spec.argv.size() == 3 && spec.argv[1] == "-f") {
      std::ifstream in(spec.argv[2]);
      std::stringstream script;
      script << in.rdbuf();
      scripts.push_back(script.str());
      if (reject_loads) return ProcessResult{1, "Error: Could not process rule\n"};
      // After "table ... {}" and "delete table ...", the rest is the table as defined.
      std::string s = script.str();
      size_t del = s.find("delete table");
      table = s.substr(s.find('\n', del) + 1);
      return ProcessResult{0, ""};
    }
    return ProcessResult{2, "unexpected arguments"};
  }
  Result<int> SpawnDaemon(const ProcessSpec&, const std::string&) override {
    return Status::Internal("not used");
  }

  bool installed = true;
  bool reject_loads = false;
  std::string table;
  std::vector<std::vector<std::string>> ran;
  std::vector<std::string> scripts;
};

FirewallPolicy Policy() {
  FirewallPolicy p;
  p.bridge = "rptest0";
  p.gateway = "10.99.7.1";
  return p;
}

TEST(NftFirewallTest, EnsureInstallsAMissingTableOnce) {
  FakeNft nft;
  NftFirewall fw(nft, Policy());
  auto first = fw.Ensure();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(*first);
  ASSERT_EQ(nft.scripts.size(), 1u);
  EXPECT_EQ(nft.scripts[0], RenderFirewallScript(Policy()));
  auto second = fw.Ensure();
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_EQ(nft.scripts.size(), 1u);  // a check, no reload
}

TEST(NftFirewallTest, CheckReportsMissingTableWithAFix) {
  FakeNft nft;
  NftFirewall fw(nft, Policy());
  auto check = fw.Check();
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->in_place);
  EXPECT_NE(check->detail.find("inet rockpool_rptest0 is missing"), std::string::npos);
  EXPECT_FALSE(check->fix.empty());
}

TEST(NftFirewallTest, RuleRemovedByHandIsDriftAndEnsureRestoresIt) {
  FakeNft nft;
  NftFirewall fw(nft, Policy());
  ASSERT_TRUE(fw.Ensure().ok());
  // Someone deletes the hairpin rule but leaves the comment.
  std::string rule = "\t\tiifname \"rptest0\" oifname \"rptest0\" drop\n";
  nft.table.erase(nft.table.find(rule), rule.size());
  auto check = fw.Check();
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->in_place);
  EXPECT_NE(check->detail.find("changed by hand"), std::string::npos) << check->detail;
  auto restored = fw.Ensure();
  ASSERT_TRUE(restored.ok());
  EXPECT_TRUE(*restored);
  EXPECT_NE(nft.table.find(rule), std::string::npos);
}

TEST(NftFirewallTest, OtherPolicyIsReplaced) {
  FakeNft nft;
  FirewallPolicy off = Policy();
  off.egress = false;
  NftFirewall old_fw(nft, off);
  ASSERT_TRUE(old_fw.Ensure().ok());
  NftFirewall fw(nft, Policy());
  auto check = fw.Check();
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->in_place);
  EXPECT_NE(check->detail.find("digest " + FirewallDigest(off)), std::string::npos);
  auto replaced = fw.Ensure();
  ASSERT_TRUE(replaced.ok());
  EXPECT_TRUE(*replaced);
  EXPECT_EQ(DigestInListing(nft.table), FirewallDigest(Policy()));
}

TEST(NftFirewallTest, FailsWhenNftIsMissingOrRefuses) {
  FakeNft nft;
  nft.installed = false;
  NftFirewall fw(nft, Policy());
  auto missing = fw.Ensure();
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("is nftables installed?"), std::string::npos);

  nft.installed = true;
  nft.reject_loads = true;
  auto refused = fw.Ensure();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("Could not process rule"), std::string::npos)
      << refused.status().ToString();
}

TEST(NftFirewallTest, ScriptFileIsRemovedAfterLoading) {
  FakeNft nft;
  NftFirewall fw(nft, Policy());
  ASSERT_TRUE(fw.Ensure().ok());
  std::string path;
  for (const auto& argv : nft.ran) {
    if (argv.size() == 3 && argv[1] == "-f") path = argv[2];
  }
  ASSERT_FALSE(path.empty());
  EXPECT_FALSE(std::ifstream(path).good());
}

}  // namespace
}  // namespace rockpool
