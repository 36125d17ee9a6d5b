// Helpers for the control plane's end-to-end tests: the public API through Caddy with the
// credentials `rockpool up` was given, raw HTTP to both Caddy servers, LXD's view of the
// instances, and a fixture that removes every workspace it created even when a test fails.
//
// The tests run against the private Rockpool scripts/test.sh brings up for the suite
// (scripts/harness.sh), which it describes in the environment: ROCKPOOL_STATE_DIR,
// ROCKPOOL_LOG_DIR, ROCKPOOL_CONTROL_PORT, ROCKPOOL_WORKSPACE_PORT, ROCKPOOL_PROJECT, and
// LXD_CONF scoping `lxc` to its project. Nothing here falls back to the deployment's folder
// or ports: without that environment, the fixtures fail and say so.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "client/api_client.h"
#include "http/curl_client.h"
#include "sys/process.h"

namespace rockpool::e2e {

using Clock = std::chrono::steady_clock;

inline const char* const kRockpool = ROCKPOOL_BINARY;

// Ok when the environment describes a private Rockpool (not the deployment's folder); the
// reason otherwise.
Status CheckPrivateDeployment();
int ControlPort();
int WorkspacePort();
std::string ControlUrl();    // http://127.0.0.1:<control port>
std::string WorkspaceUrl();  // http://127.0.0.1:<workspace port>
std::string StateDir();
std::string SocketDir();
std::string ServeLog();
std::string Project();

// ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD, as given to `rockpool up`.
client::Credentials CredentialsFromEnv();

// A loopback address of this run's own ("127.<n>.<pid>"), to send from when a test provokes
// failed sign-ins: the throttle then locks out that address, not 127.0.0.1. Unique per call.
std::string OwnLoopbackAddress();

// Unique per run: "e2e-<pid>-<n>".
std::string UniqueName();

// One request; a transport failure answers status 0 with the error in the body. A body is sent
// as JSON unless `headers` names a Content-Type. `from`: the loopback source address to send
// from, so failed sign-ins a test provokes on purpose do not throttle 127.0.0.1.
HttpResponse Http(const std::string& base_url, const std::string& method, const std::string& target,
                  const std::optional<client::Credentials>& auth, const std::string& body = "",
                  const Headers& headers = {}, const std::string& from = "");

// Polls `done` every 200 ms until it is true or `timeout` passes; true when it became true.
bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds timeout);

Result<ProcessResult> RunCommand(std::vector<std::string> argv, std::vector<std::string> env = {});
bool InstanceExists(const std::string& instance);
Status LxcExec(const std::string& instance, const std::string& shell_command);
// Names of workspace socket files ("demo" for demo.sock and demo.3000.sock).
std::set<std::string> SocketOwners();
std::vector<std::string> SocketFilesOf(const std::string& name);
// The pid written in `pid_file` when that process runs and is named `comm`, else 0.
int LivePid(const std::string& pid_file, const std::string& comm);
// The last `lines` lines of the serve log, for failure messages.
std::string ServeLogTail(int lines = 30);

struct LabelledInstance {
  std::string instance;
  std::string workspace;  // user.rockpool.workspace
  bool is_template = false;
  bool is_spare = false;  // a copy of a template kept for the next create: it has no row
};
Result<std::vector<LabelledInstance>> ManagedInstances();

// Fixture: an ApiClient through the private Rockpool's Caddy (ControlUrl()) with the
// environment's credentials, and cleanup of every workspace registered with Track() in TearDown
// (stop, delete, wait for 404; when the API does not answer, `lxc delete --force`).
class ControlPlaneTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  client::ApiClient& api() { return *api_; }
  const client::Credentials& creds() const { return creds_; }
  std::string Track(std::string name);

  // Polls until the workspace reaches `want` (or error); returns the last one seen.
  Result<Workspace> WaitForStatus(const std::string& ref, WorkspaceStatus want,
                                  std::chrono::seconds timeout);
  // Stops (when needed), deletes and waits for 404. Ok when already gone.
  Status Remove(const std::string& name, std::chrono::seconds timeout);
  // Status of GET <WorkspaceUrl()>/workspace/<name>/healthz with credentials.
  int IdeHealth(const std::string& name);

 private:
  client::Credentials creds_;
  std::unique_ptr<CurlHttpClient> http_;
  std::unique_ptr<client::ApiClient> api_;
  std::vector<std::string> tracked_;
};

}  // namespace rockpool::e2e
