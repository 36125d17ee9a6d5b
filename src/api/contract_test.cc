#include "api/contract.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/embedded_openapi.h"

namespace rockpool::api {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

Contract LoadContract() {
  auto c = Contract::Load(ROCKPOOL_OPENAPI_PATH);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

TEST(ContractTest, EmbeddedCopyEqualsTheFileInTheRepository) {
  auto file = Contract::Load(ROCKPOOL_OPENAPI_PATH);
  auto embedded = Contract::Embedded();
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(embedded.ok());
  EXPECT_EQ(file->operations().size(), embedded->operations().size());
  EXPECT_FALSE(EmbeddedOpenApiYaml().empty());
}

TEST(ContractTest, HasEveryOperation) {
  Contract c = LoadContract();
  for (const char* id : {"getHealth",       "getMetrics",       "listWorkspaces", "createWorkspace",
                         "getWorkspace",    "deleteWorkspace",  "startWorkspace", "stopWorkspace",
                         "listPorts",       "addPort",          "removePort",     "retryClone",
                         "updateWorkspace", "listSnapshots",    "createSnapshot", "deleteSnapshot",
                         "restoreSnapshot", "listTokens",       "createToken",    "revokeToken",
                         "getMe",           "listUsers",        "createUser",     "updateUser",
                         "deleteUser",      "changeMyPassword", "getOrigin"}) {
    EXPECT_NE(c.FindOperation(id), nullptr) << id;
  }
  EXPECT_EQ(c.operations().size(), 30u);
}

TEST(ContractTest, MatchesTemplatesAndExtractsPathParameters) {
  Contract c = LoadContract();
  RouteMatch m = c.Match("DELETE", "/api/workspaces/demo/ports/3000");
  ASSERT_NE(m.operation, nullptr);
  EXPECT_EQ(m.operation->id, "removePort");
  EXPECT_EQ(m.path_params.at("id"), "demo");
  EXPECT_EQ(m.path_params.at("port"), "3000");
}

TEST(ContractTest, KnownPathWithOtherMethodListsAllowedMethods) {
  Contract c = LoadContract();
  RouteMatch m = c.Match("PUT", "/api/workspaces/demo");
  EXPECT_EQ(m.operation, nullptr);
  EXPECT_EQ(m.path_template, "/api/workspaces/{id}");
  EXPECT_THAT(m.allowed_methods, UnorderedElementsAre("GET", "DELETE", "PATCH"));
}

TEST(ContractTest, UnknownPathMatchesNothing) {
  Contract c = LoadContract();
  EXPECT_TRUE(c.Match("GET", "/api/nope").path_template.empty());
  EXPECT_TRUE(c.Match("GET", "/api/workspaces//start").path_template.empty());
  EXPECT_TRUE(c.Match("GET", "").path_template.empty());
}

TEST(ContractTest, ResolvesReferencesInBodiesAndResponses) {
  Contract c = LoadContract();
  const Operation* op = c.FindOperation("createWorkspace");
  ASSERT_TRUE(op->body_schema.has_value());
  EXPECT_EQ((*op->body_schema)["properties"]["name"]["pattern"],
            "^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])$");
  EXPECT_EQ(op->responses.at(202)["required"].size(), 14u);
  EXPECT_EQ(op->responses.at(202)["properties"]["limits"]["properties"]["cpus"]["type"], "number");
  EXPECT_TRUE(c.FindOperation("removePort")->responses.at(204).is_null());
  EXPECT_EQ(c.FindOperation("listWorkspaces")->parameters[0].schema["default"], 25);
}

TEST(ContractTest, MalformedDocumentsAreInvalidArgument) {
  EXPECT_EQ(Contract::Parse("a: [", "x").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Contract::Parse("openapi: 3.0.3", "x").status().code(), Code::kInvalidArgument);
  auto dangling = Contract::Parse("paths: {/a: {get: {$ref: '#/nope'}}}", "x");
  EXPECT_EQ(dangling.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Contract::Load("/nonexistent/openapi.yaml").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace rockpool::api
