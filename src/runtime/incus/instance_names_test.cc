#include "runtime/incus/instance_names.h"

#include <gtest/gtest.h>

namespace rockpool::incus {
namespace {

TEST(InstanceNamesTest, ShortNamesGetAPrefixSoDigitsMayLead) {
  EXPECT_EQ(InstanceName("9lives"), "rp-9lives");
  EXPECT_EQ(InstanceName("abc"), "rp-abc");
}

TEST(InstanceNamesTest, NamesUpTo59CharactersAreKeptWhole) {
  std::string name(59, 'a');
  EXPECT_EQ(InstanceName(name), "rp-" + name);
}

TEST(InstanceNamesTest, LongerNamesAreShortenedTo63WithAHash) {
  for (size_t len : {60u, 61u, 63u}) {
    std::string name(len, 'b');
    std::string instance = InstanceName(name);
    EXPECT_EQ(instance.size(), 63u) << len;
    EXPECT_EQ(instance.substr(0, 52), "rp-" + std::string(48, 'b') + "-");
    EXPECT_EQ(instance.substr(52).find_first_not_of("0123456789abcdef"), std::string::npos);
  }
}

TEST(InstanceNamesTest, ShorteningIsDeterministicAndKeepsNamesApart) {
  std::string a = std::string(60, 'c');
  std::string b = std::string(59, 'c') + "d";
  EXPECT_EQ(InstanceName(a), InstanceName(a));
  EXPECT_NE(InstanceName(a), InstanceName(b));
}

TEST(InstanceNamesTest, TemplateNameUsesFingerprintPrefix) {
  EXPECT_EQ(TemplateName("d1337eb00d5ee5fba19039c359500f2b"), "rp-tpl-d1337eb00d5e");
  EXPECT_EQ(PortDeviceName(3000), "port-3000");
}

}  // namespace
}  // namespace rockpool::incus
