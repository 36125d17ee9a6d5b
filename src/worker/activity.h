// Activity of workspaces as seen from outside them: at the proxy's forward-auth check (every
// request and WebSocket upgrade to a workspace's IDE or forwarded port is authorized first)
// and at the host sockets the proxy dials (connections still open: an IDE's WebSocket, a
// forwarded port's streams, and keep-alive connections that the proxy closes after its idle
// timeout). Never guessed from inside the workspace.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/clock.h"

namespace rockpool {

struct WorkspaceActivity {
  std::optional<TimePoint> last_request;  // the latest request start seen since the last Observe
  int open_connections = 0;               // connections open on its sockets now
};

class ActivitySource {
 public:
  virtual ~ActivitySource() = default;
  // What happened since the previous call, by workspace name; workspaces with nothing to report
  // may be left out. Thread-safe.
  virtual std::map<std::string, WorkspaceActivity> Observe() = 0;
};

// Request starts reported by the control plane's forward-auth endpoint. Keeps at most one time
// per workspace, and only until the next Observe, so memory is bounded by what one interval
// sees.
class RequestActivity : public ActivitySource {
 public:
  // `clock` must outlive this.
  explicit RequestActivity(Clock& clock) : clock_(clock) {}

  // An authorized request for `forwarded_uri` (X-Forwarded-Uri, "/workspace/<name>/..."); other
  // URIs (the dashboard's) are ignored. Cheap; called on the API server's threads.
  void Record(std::string_view forwarded_uri);
  std::map<std::string, WorkspaceActivity> Observe() override;

 private:
  Clock& clock_;
  std::mutex mu_;
  std::map<std::string, TimePoint> last_;  // guarded by mu_
};

// The workspace named by a proxied URI: "/workspace/<name>" followed by "/", "?" or the end;
// nullopt for anything else.
std::optional<std::string> WorkspaceOfUri(std::string_view uri);

// Several sources merged: the latest request of any, and the sum of open connections.
class CombinedActivity : public ActivitySource {
 public:
  // Both must outlive this.
  CombinedActivity(ActivitySource& a, ActivitySource& b) : a_(a), b_(b) {}
  std::map<std::string, WorkspaceActivity> Observe() override;

 private:
  ActivitySource& a_;
  ActivitySource& b_;
};

}  // namespace rockpool
