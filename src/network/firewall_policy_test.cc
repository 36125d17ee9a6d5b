#include "network/firewall_policy.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

TEST(FirewallPolicyTest, SettingsMakeThePolicy) {
  auto p = MakeFirewallPolicy("rpbr0", "10.187.42.1/24", "", "");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->bridge, "rpbr0");
  EXPECT_EQ(p->gateway, "10.187.42.1");
  EXPECT_TRUE(p->egress);
  EXPECT_EQ(p->blocked, kPrivateRanges);
  EXPECT_TRUE(p->allowed.empty());
}

TEST(FirewallPolicyTest, EgressOffAndAllowList) {
  auto p = MakeFirewallPolicy("rpbr0", "10.187.42.1/24", "off", " 192.168.1.0/24, 10.1.2.3 ,");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_FALSE(p->egress);
  EXPECT_EQ(p->allowed, (std::vector<std::string>{"192.168.1.0/24", "10.1.2.3/32"}));
}

TEST(FirewallPolicyTest, RejectsWhatCouldInjectRules) {
  EXPECT_FALSE(MakeFirewallPolicy("rpbr0\" accept", "10.187.42.1/24", "on", "").ok());
  EXPECT_FALSE(MakeFirewallPolicy("averyveryverylongname", "10.187.42.1/24", "on", "").ok());
  EXPECT_FALSE(MakeFirewallPolicy("rpbr0", "10.187.42.1; drop", "on", "").ok());
  EXPECT_FALSE(MakeFirewallPolicy("rpbr0", "10.187.42.1", "on", "").ok());
  EXPECT_FALSE(MakeFirewallPolicy("rpbr0", "10.187.42.1/24", "yes", "").ok());
  EXPECT_FALSE(MakeFirewallPolicy("rpbr0", "10.187.42.1/24", "on", "0/0 accept").ok());
  EXPECT_FALSE(MakeFirewallPolicy("rpbr0", "10.187.42.1/24", "on", "10.0.0.0/33").ok());
  EXPECT_FALSE(MakeFirewallPolicy("rpbr0", "10.187.42.1/24", "on", "fd00::/8").ok());
}

TEST(FirewallPolicyTest, CanonicalNetworkIsHowNftPrintsIt) {
  EXPECT_EQ(CanonicalNetwork("10.1.2.3/32"), "10.1.2.3");
  EXPECT_EQ(CanonicalNetwork("192.168.1.77/24"), "192.168.1.0/24");
  EXPECT_EQ(CanonicalNetwork("0.0.0.0/0"), "0.0.0.0/0");
  EXPECT_EQ(CanonicalNetwork("10.0.0.0"), "");
}

}  // namespace
}  // namespace rockpool
