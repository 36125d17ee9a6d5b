// StoreServerTest: a fixture for the API over HTTP on the real services and store (each engine:
// SQLite in a temp file, PostgreSQL in a database of its own; fake runtime): the whole request
// path of `rockpool serve` minus the worker, its API tokens, accounts and sessions included,
// with every answer checked against api/openapi.yaml. admin_ is signed in as the deployment's
// account.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "api/test_server.h"
#include "runtime/fake/fake_runtime.h"
#include "service/store_session_service.h"
#include "service/store_token_service.h"
#include "service/store_user_service.h"
#include "service/workspace_service_impl.h"
#include "store/testing/test_database.h"

namespace rockpool::api {

class StoreServerTest : public ::testing::TestWithParam<rockpool::testing::Engine> {
 protected:
  StoreServerTest() : db_(GetParam()) {}
  void SetUp() override {
    store_ = db_.Open(clock_);
    ASSERT_NE(store_, nullptr);
    queue_ = std::make_unique<JobQueue>(store_->jobs());
    service_ = std::make_unique<WorkspaceServiceImpl>(*store_, *queue_, runtime_);
    tokens_ = std::make_unique<StoreTokenService>(*store_, clock_, credentials_);
    users_ = std::make_unique<StoreUserService>(*store_, credentials_);
    sessions_ = std::make_unique<StoreSessionService>(*store_, clock_);
    server_ = std::make_unique<TestServer>(*service_, ApiOptions{}, SecurityOptions{},
                                           auth::SteadyClock::Instance(), tokens_.get(),
                                           users_.get(), sessions_.get());
    admin_ = server_->NewClient();
    contract_ =
        std::make_unique<Contract>(std::move(Contract::Load(ROCKPOOL_OPENAPI_PATH)).value());
  }

  // Sends with `client`, checks the status and the answer against the contract.
  nlohmann::json Send(HttpClient& client, const HttpRequest& req, const std::string& operation,
                      int status) {
    return SendAndCheck(client, *contract_, req, operation, status);
  }

  SystemClock clock_;
  rockpool::testing::TestDatabase db_;
  FakeRuntime runtime_;
  auth::FixedCredentialSource credentials_{BasicAuth{kTestUser, TestPasswordHash()}};
  std::unique_ptr<SqlStore> store_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<WorkspaceServiceImpl> service_;
  std::unique_ptr<StoreTokenService> tokens_;
  std::unique_ptr<StoreUserService> users_;
  std::unique_ptr<StoreSessionService> sessions_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<CurlHttpClient> admin_;
  std::unique_ptr<Contract> contract_;
};

}  // namespace rockpool::api
