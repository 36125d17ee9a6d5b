#include "core/duration.h"

#include <gtest/gtest.h>

namespace rockpool {
namespace {

constexpr int64_t kMax = 30 * 86400;

int64_t Parse(std::string_view s) {
  auto r = ParseDurationSeconds(s, "--idle-timeout", kMax);
  EXPECT_TRUE(r.ok()) << s << ": " << r.status().ToString();
  return r.ok() ? *r : -1;
}

TEST(DurationTest, ParsesSecondsAndUnits) {
  EXPECT_EQ(Parse("0"), 0);
  EXPECT_EQ(Parse("1800"), 1800);
  EXPECT_EQ(Parse("45m"), 2700);
  EXPECT_EQ(Parse("1h30m"), 5400);
  EXPECT_EQ(Parse("90s"), 90);
  EXPECT_EQ(Parse("2h"), 7200);
  EXPECT_EQ(Parse("1h0m5s"), 3605);
}

TEST(DurationTest, RefusesWhatIsNotADurationAndSaysHowToWriteOne) {
  for (std::string_view bad : {"", "m", "45x", "-5", "1.5h", "1h30", "45 m", "h1"}) {
    auto r = ParseDurationSeconds(bad, "--idle-timeout", kMax);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("--idle-timeout"), std::string::npos);
    EXPECT_NE(r.status().message().find("45m"), std::string::npos);
  }
}

TEST(DurationTest, RefusesMoreThanTheMaximumNamingIt) {
  auto r = ParseDurationSeconds("721h", "ROCKPOOL_IDLE_TIMEOUT", kMax);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("720 h"), std::string::npos) << r.status().message();
  EXPECT_FALSE(ParseDurationSeconds("99999999999999999999", "x", kMax).ok());
  EXPECT_TRUE(ParseDurationSeconds("720h", "x", kMax).ok());
}

TEST(DurationTest, FormatsInTheLargestUnits) {
  EXPECT_EQ(FormatDurationSeconds(1800), "30 min");
  EXPECT_EQ(FormatDurationSeconds(5400), "1 h 30 min");
  EXPECT_EQ(FormatDurationSeconds(45), "45 s");
  EXPECT_EQ(FormatDurationSeconds(7200), "2 h");
  EXPECT_EQ(FormatDurationSeconds(0), "never");
  EXPECT_EQ(FormatDurationSeconds(0, false), "0 s");
}

}  // namespace
}  // namespace rockpool
