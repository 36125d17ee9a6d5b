#include "api/schema_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rockpool::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json kPortBody = json::parse(R"({
  "type": "object", "required": ["port"], "additionalProperties": false,
  "properties": {
    "port": {"type": "integer", "minimum": 1024, "maximum": 65535},
    "label": {"type": "string", "maxLength": 4, "nullable": true}
  }})");

std::string Error(const json& schema, const json& value) {
  Status s = ValidateAgainstSchema(schema, value, "body");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  return s.message();
}

TEST(SchemaValidatorTest, AcceptsAValidObject) {
  EXPECT_TRUE(ValidateAgainstSchema(kPortBody, json{{"port", 3000}}, "body").ok());
  EXPECT_TRUE(ValidateAgainstSchema(kPortBody, json{{"port", 3000}, {"label", nullptr}}, "b").ok());
}

TEST(SchemaValidatorTest, NamesMissingRequiredField) {
  EXPECT_EQ(Error(kPortBody, json::object()), "body: missing required field \"port\"");
}

TEST(SchemaValidatorTest, NamesUnknownFieldAndListsAllowedOnes) {
  EXPECT_EQ(Error(kPortBody, json{{"port", 3000}, {"colour", 1}}),
            "body: unknown field \"colour\"; allowed fields: label, port");
}

TEST(SchemaValidatorTest, ReportsWrongTypeWithTheValue) {
  EXPECT_EQ(Error(kPortBody, json{{"port", "80"}}),
            "body.port: expected an integer, got a string (\"80\")");
  EXPECT_EQ(Error(kPortBody, json{{"port", 80.5}}),
            "body.port: expected an integer, got a number (80.5)");
}

TEST(SchemaValidatorTest, ReportsOutOfRangeWithTheAllowedRange) {
  EXPECT_EQ(Error(kPortBody, json{{"port", 80}}),
            "body.port: 80 is out of range; use a value from 1024 to 65535");
}

TEST(SchemaValidatorTest, ChecksStringLengthInCharacters) {
  EXPECT_TRUE(ValidateAgainstSchema(kPortBody, json{{"port", 3000}, {"label", "äöüß"}}, "b").ok());
  EXPECT_THAT(Error(kPortBody, json{{"port", 3000}, {"label", "abcde"}}),
              HasSubstr("body.label: is too long (5 characters); use at most 4"));
}

TEST(SchemaValidatorTest, WorkspaceNamePatternUsesTheNameRuleMessage) {
  json schema = {{"type", "string"}, {"pattern", std::string(kWorkspaceNamePattern)}};
  std::string msg = Error(schema, "Bad_Name");
  EXPECT_THAT(msg, HasSubstr("body: invalid workspace name \"Bad_Name\""));
  EXPECT_THAT(msg, HasSubstr("use 3-63 characters"));
}

TEST(SchemaValidatorTest, OtherPatternsQuoteThePattern) {
  json schema = {{"type", "string"}, {"pattern", "^a+$"}};
  EXPECT_EQ(Error(schema, "b"), "body: \"b\" does not match ^a+$");
}

TEST(SchemaValidatorTest, ChecksEnumNullableAndFormats) {
  json status = {{"type", "string"}, {"enum", {"running", "stopped"}}};
  EXPECT_THAT(Error(status, "gone"), HasSubstr("\"gone\" is not one of [\"running\",\"stopped\"]"));
  EXPECT_THAT(Error(status, nullptr), HasSubstr("must not be null"));
  json uuid = {{"type", "string"}, {"format", "uuid"}};
  EXPECT_TRUE(ValidateAgainstSchema(uuid, "123e4567-e89b-42d3-a456-426614174000", "x").ok());
  EXPECT_THAT(Error(uuid, "123"), HasSubstr("is not a UUID"));
  json when = {{"type", "string"}, {"format", "date-time"}};
  EXPECT_TRUE(ValidateAgainstSchema(when, "2026-01-02T03:04:05.123Z", "x").ok());
  EXPECT_TRUE(ValidateAgainstSchema(when, "2026-01-02T03:04:05+02:00", "x").ok());
  EXPECT_THAT(Error(when, "yesterday"), HasSubstr("is not an RFC 3339 date-time"));
}

TEST(SchemaValidatorTest, ValidatesArrayItemsWithTheirIndex) {
  json schema = {{"type", "array"}, {"items", {{"type", "integer"}}}};
  EXPECT_EQ(Error(schema, json{1, "two"}), "body[1]: expected an integer, got a string (\"two\")");
}

}  // namespace
}  // namespace rockpool::api
