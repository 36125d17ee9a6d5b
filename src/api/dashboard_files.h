// The dashboard's files, served by the control plane itself in dev mode (`rockpool serve
// --dev`), with the paths the proxy gives them in production (proxy/caddy/control_routes.cc):
//   /app/assets/<file>   the file, or 404
//   /app/<other>         the file when there is one, else index.html (history routing)
//   /app                 308 to /app/
//   /                    302 to /app/workspaces
//   /workspace/...       a page saying that dev mode runs no workspace (no IDE to open)
// Requests reach it only after the RequestGate, as the proxy's forward auth does for /app.
// Pages carry the control site's framing rules (X-Frame-Options, CSP frame-ancestors).
#pragma once

#include <optional>
#include <string>

#include "api/api_handler.h"

namespace rockpool::api {

class DashboardFiles {
 public:
  // `root`: the built dashboard (index.html and assets/).
  explicit DashboardFiles(std::string root) : root_(std::move(root)) {}

  // The answer for `path` (without the query); nullopt when the path is not the dashboard's
  // (then the API handler answers).
  std::optional<ApiResponse> Serve(const std::string& method, const std::string& path) const;

 private:
  ApiResponse File(const std::string& relative) const;

  std::string root_;
};

}  // namespace rockpool::api
