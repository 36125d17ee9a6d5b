#include "network/nft_rules.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

FirewallPolicy Policy() {
  FirewallPolicy p;
  p.bridge = "rpbr0";
  p.gateway = "10.187.42.1";
  return p;
}

TEST(NftRulesTest, HostAcceptsOnlyRepliesDhcpAndDnsToTheGateway) {
  std::string table = RenderFirewallTable(Policy());
  EXPECT_NE(table.find("table inet rockpool_rpbr0 {\n"), std::string::npos);
  EXPECT_NE(table.find("\tchain input {\n"
                       "\t\ttype filter hook input priority filter - 10; policy accept;\n"
                       "\t\tiifname != \"rpbr0\" accept\n"
                       "\t\tct state established,related accept\n"
                       "\t\tudp sport 68 udp dport 67 accept\n"
                       "\t\tip daddr 10.187.42.1 udp dport 53 accept\n"
                       "\t\tip daddr 10.187.42.1 tcp dport 53 accept\n"
                       "\t\tdrop\n"
                       "\t}\n"),
            std::string::npos)
      << table;
}

TEST(NftRulesTest, ForwardDropsHairpinInboundAndMetadataBeforeEgress) {
  std::string table = RenderFirewallTable(Policy());
  EXPECT_NE(table.find("\t\ttype filter hook forward priority filter - 10; policy accept;\n"
                       "\t\tiifname \"rpbr0\" oifname \"rpbr0\" drop\n"
                       "\t\toifname \"rpbr0\" ct state established,related accept\n"
                       "\t\toifname \"rpbr0\" drop\n"
                       "\t\tiifname \"rpbr0\" ip daddr 169.254.0.0/16 drop\n"
                       "\t\tiifname \"rpbr0\" ip daddr 10.0.0.0/8 drop\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("iifname \"rpbr0\" ip daddr 192.168.0.0/16 drop\n"), std::string::npos);
  EXPECT_NE(table.find("iifname \"rpbr0\" meta nfproto ipv6 drop\n"), std::string::npos);
  EXPECT_EQ(table.find("iifname \"rpbr0\" drop"), std::string::npos);
}

TEST(NftRulesTest, EgressOffDropsEverythingForwardedFromTheBridge) {
  FirewallPolicy p = Policy();
  p.egress = false;
  p.allowed = {"192.168.1.0/24"};
  std::string table = RenderFirewallTable(p);
  EXPECT_NE(table.find("\t\tiifname \"rpbr0\" ip daddr 169.254.0.0/16 drop\n"
                       "\t\tiifname \"rpbr0\" drop\n\t}\n"),
            std::string::npos)
      << table;
  EXPECT_EQ(table.find("accept\n\t}"), std::string::npos);
  EXPECT_EQ(table.find("192.168.1.0/24"), std::string::npos);  // no exceptions without egress
}

TEST(NftRulesTest, AllowedNetworksPassBeforeThePrivateRangesAreDropped) {
  FirewallPolicy p = Policy();
  p.allowed = {"192.168.1.9/32", "10.20.0.0/16"};
  std::string table = RenderFirewallTable(p);
  size_t allow = table.find("iifname \"rpbr0\" ip daddr 192.168.1.9 accept\n");
  size_t allow2 = table.find("iifname \"rpbr0\" ip daddr 10.20.0.0/16 accept\n");
  size_t metadata = table.find("169.254.0.0/16 drop");
  size_t block = table.find("ip daddr 10.0.0.0/8 drop");
  ASSERT_NE(allow, std::string::npos) << table;
  ASSERT_NE(allow2, std::string::npos) << table;
  EXPECT_LT(metadata, allow);  // metadata cannot be allowed
  EXPECT_LT(allow2, block);
}

TEST(NftRulesTest, DigestFollowsTheRulesAndSitsInTheComment) {
  FirewallPolicy a = Policy();
  FirewallPolicy b = Policy();
  b.egress = false;
  EXPECT_EQ(FirewallDigest(a), FirewallDigest(Policy()));
  EXPECT_NE(FirewallDigest(a), FirewallDigest(b));
  EXPECT_EQ(FirewallDigest(a).size(), 16u);
  EXPECT_EQ(DigestInListing(RenderFirewallTable(a)), FirewallDigest(a));
  EXPECT_EQ(DigestInListing("table inet x {\n}\n"), "");
}

TEST(NftRulesTest, ScriptReplacesTheTableInOneTransaction) {
  std::string script = RenderFirewallScript(Policy());
  EXPECT_EQ(script.rfind("table inet rockpool_rpbr0 {}\n"
                         "delete table inet rockpool_rpbr0\n"
                         "table inet rockpool_rpbr0 {\n",
                         0),
            0u)
      << script;
}

TEST(NftRulesTest, ListingLinesIgnoreIndentationAndBlankLines) {
  EXPECT_EQ(ListingLines("table t {\n\n\t\tdrop  \n}\n"),
            (std::vector<std::string>{"table t {", "drop", "}"}));
}

}  // namespace
}  // namespace rockpool
