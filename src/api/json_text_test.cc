#include "api/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/json_codec.h"

namespace rockpool::api {
namespace {

using nlohmann::json;

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

Workspace Sample() {
  return {"6f1c2a9e-0000-4000-8000-000000000001",
          "alpha",
          WorkspaceStatus::kError,
          "rockpool-workspace",
          "engine said: \"no\"\n\tline 2",
          "2026-11-27T10:00:00.000Z",
          "2026-11-27T10:00:01.500Z"};
}

TEST(JsonTextTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(Quoted("plain"), R"("plain")");
  EXPECT_EQ(Quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Quoted("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Quoted(std::string_view("\x00\x01\x1f\x7f", 4)), R"("\u0000\u0001\u001f)"
                                                             "\x7f\"");
  EXPECT_EQ(Quoted(""), R"("")");
}

TEST(JsonTextTest, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(Quoted("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x9A"),
            "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x9A\"");
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(Quoted("a\xFFz"), "\"a" + replacement + "z\"");                // never valid
  EXPECT_EQ(Quoted("a\xC3"), "\"a" + replacement + "\"");                  // cut short
  EXPECT_EQ(Quoted("\xC0\xAF"), "\"" + replacement + replacement + "\"");  // overlong
  EXPECT_EQ(Quoted("\xED\xA0\x80"), "\"" + replacement + replacement + replacement + "\"");
  EXPECT_EQ(Quoted("\xF4\x90\x80\x80").substr(0, 4), "\"" + replacement);  // > U+10FFFF
  for (const char* bad : {"\xFF", "\xC3", "\xE2\x82", "\xED\xA0\x80", "\xF8\x88\x80\x80\x80"}) {
    EXPECT_TRUE(json::accept(Quoted(bad))) << Quoted(bad);
  }
}

TEST(JsonTextTest, StringsRoundTripThroughAParser) {
  for (std::string text : {"name-1", "tab\there", "quote\"back\\slash", "\xE6\x97\xA5\xE6\x9C\xAC",
                           "ctl\x01\x02", "/workspace/a?b=c&d"}) {
    EXPECT_EQ(json::parse(Quoted(text)).get<std::string>(), text);
  }
}

TEST(JsonTextTest, WorkspaceMatchesTheCodecsForm) {
  Workspace ws = Sample();
  EXPECT_EQ(json::parse(WorkspaceJsonText(ws)), WorkspaceToJson(ws));
  ws.status = WorkspaceStatus::kRunning;
  ws.status_reason.reset();
  const std::string text = WorkspaceJsonText(ws);
  EXPECT_EQ(json::parse(text), WorkspaceToJson(ws));
  EXPECT_NE(text.find(R"("statusReason":null)"), std::string::npos) << text;
  EXPECT_EQ(text.rfind(R"({"id":"6f1c2a9e-)", 0), 0u) << text;
}

TEST(JsonTextTest, LimitsMatchTheCodecsFormAndRoundTrip) {
  Workspace ws = Sample();
  for (WorkspaceLimits limits : {WorkspaceLimits{}, WorkspaceLimits{1.5, 3072, 512, 12},
                                 WorkspaceLimits{0.01, 128, 32, 1}}) {
    ws.limits = limits;
    const std::string text = WorkspaceJsonText(ws);
    EXPECT_EQ(json::parse(text), WorkspaceToJson(ws)) << text;
    auto back = WorkspaceFromJson(json::parse(text));
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->limits, limits);
  }
  ws.limits = {1.5, 3072, 512, 12};
  EXPECT_NE(WorkspaceJsonText(ws).find(
                R"("limits":{"cpus":1.5,"memoryMib":3072,"processes":512,"diskGib":12})"),
            std::string::npos);
}

TEST(JsonTextTest, PageHasItemsInOrderAndNextCursor) {
  WorkspacePage page;
  EXPECT_EQ(WorkspacePageJsonText(page), R"({"items":[],"nextCursor":null})");
  page.items = {Sample(), Sample()};
  page.items[1].name = "beta";
  page.next_cursor = "Y3Vyc29y";
  const json parsed = json::parse(WorkspacePageJsonText(page));
  ASSERT_EQ(parsed["items"].size(), 2u);
  EXPECT_EQ(parsed["items"][0], WorkspaceToJson(page.items[0]));
  EXPECT_EQ(parsed["items"][1], WorkspaceToJson(page.items[1]));
  EXPECT_EQ(parsed["nextCursor"], "Y3Vyc29y");
  auto decoded = WorkspacePageFromJson(parsed);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->items[1].name, "beta");
}

}  // namespace
}  // namespace rockpool::api
