// The `rockpool ws ...` operations as plain functions over an ApiClient, so they are tested
// without a command line: each prints a table (or JSON with `json`) to `out`, progress to
// `err`, and returns a Status whose message is the error to print.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "client/api_client.h"
#include "client/client_config.h"

namespace rockpool::client {

struct WsIo {
  ApiClient* api = nullptr;
  ClientConfig config;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  bool json = false;
  bool progress_tty = false;  // true: one progress line rewritten in place
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<Status(const std::string& url)> open_browser;
};

struct WaitOptions {
  bool wait = true;  // false: return once the request is accepted (--no-wait)
  std::chrono::seconds timeout{300};
  std::chrono::milliseconds poll_interval{1000};
};

// `owner`: only that account's workspaces.
Status WsList(WsIo& io, const std::optional<std::string>& owner = std::nullopt);
Status WsShow(WsIo& io, const std::string& name);
// idle_timeout_seconds: nullopt: the server's default. With a repository, waiting ends when the
// workspace runs, its clone finished: a failed clone is printed with what to do, and the command
// still succeeds (the workspace is usable).
Status WsCreate(WsIo& io, const std::string& name, const std::string& image,
                const LimitsRequest& limits, WaitOptions wait,
                std::optional<int64_t> idle_timeout_seconds = std::nullopt,
                const std::optional<SourceRequest>& repository = std::nullopt);
// `rockpool ws set <name> --idle-timeout 45m`: nullopt: back to the server's default.
Status WsSetIdleTimeout(WsIo& io, const std::string& name, std::optional<int64_t> seconds);
// Retries a failed clone and waits for its outcome; fails when the clone fails again.
Status WsClone(WsIo& io, const std::string& name, WaitOptions wait);
Status WsStart(WsIo& io, const std::string& name, WaitOptions wait);
Status WsStop(WsIo& io, const std::string& name, WaitOptions wait);
Status WsRemove(WsIo& io, const std::string& name, WaitOptions wait);
Status WsOpen(WsIo& io, const std::string& name, bool browser);
Status WsPortList(WsIo& io, const std::string& name);
Status WsPortAdd(WsIo& io, const std::string& name, int port,
                 const std::optional<std::string>& label);
Status WsPortRemove(WsIo& io, const std::string& name, int port);
// snapshot "": the server names it.
Status WsSnapshotCreate(WsIo& io, const std::string& name, const std::string& snapshot);
Status WsSnapshotList(WsIo& io, const std::string& name);
Status WsSnapshotRestore(WsIo& io, const std::string& name, const std::string& snapshot);
Status WsSnapshotRemove(WsIo& io, const std::string& name, const std::string& snapshot);

}  // namespace rockpool::client
