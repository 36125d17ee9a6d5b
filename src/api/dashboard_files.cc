#include "api/dashboard_files.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace rockpool::api {
namespace {

namespace fs = std::filesystem;

std::string ContentType(const fs::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".map", "application/json"}};
  auto it = kTypes.find(file.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

// A path inside the root: no empty, ".", ".." or hidden segments, no backslash or NUL.
bool IsPlainRelative(const std::string& rel) {
  if (rel.find('\\') != std::string::npos || rel.find('\0') != std::string::npos) return false;
  std::stringstream parts(rel);
  for (std::string seg; std::getline(parts, seg, '/');) {
    if (seg.empty() || seg.front() == '.') return false;
  }
  return !rel.empty() && rel.back() != '/';
}

ApiResponse Page(int status, const std::string& title, const std::string& text) {
  ApiResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = "<!doctype html><meta charset=\"utf-8\"><title>" + title + "</title><h1>" + title +
           "</h1><p>" + text + "</p>\n";
  return r;
}

ApiResponse Redirect(int status, const std::string& location) {
  ApiResponse r;
  r.status = status;
  r.content_type.clear();
  r.headers.emplace_back("Location", location);
  return r;
}

void Framing(ApiResponse& r) {
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Content-Security-Policy", "frame-ancestors 'none'");
}

}  // namespace

std::optional<ApiResponse> DashboardFiles::Serve(const std::string& method,
                                                 const std::string& path) const {
  const bool app = path == "/app" || path.starts_with("/app/");
  const bool workspace = path.starts_with("/workspace/");
  if (!app && !workspace && path != "/") return std::nullopt;
  ApiResponse r;
  if (method != "GET" && method != "HEAD") {
    r = Page(405, "Method not allowed", method + " is not allowed here; use GET");
    r.headers.emplace_back("Allow", "GET, HEAD");
  } else if (path == "/") {
    r = Redirect(302, "/app/workspaces");
  } else if (path == "/app") {
    r = Redirect(308, "/app/");
  } else if (workspace) {
    r = Page(404, "No workspace in dev mode",
             "<code>rockpool serve --dev</code> simulates workspaces: there is no IDE or "
             "forwarded port to open. Run <code>rockpool up</code> for real workspaces.");
  } else {
    r = File(path.substr(std::string("/app/").size()));
  }
  r.route = app ? "/app" : workspace ? "/workspace" : "/";
  if (method == "HEAD") r.body.clear();
  Framing(r);
  return r;
}

ApiResponse DashboardFiles::File(const std::string& relative) const {
  const bool asset = relative.starts_with("assets/");
  std::string rel = relative;
  std::error_code ec;
  if (!IsPlainRelative(rel) || !fs::is_regular_file(fs::path(root_) / rel, ec)) {
    if (asset) return Page(404, "Not found", "No such dashboard file.");
    rel = "index.html";  // a dashboard route: the app reads the path itself
  }
  std::ifstream in(fs::path(root_) / rel, std::ios::binary);
  if (!in) {
    return Page(404, "Dashboard not built",
                "No " + rel + " in " + root_ + ": run <code>npm run build</code> in web/.");
  }
  std::ostringstream body;
  body << in.rdbuf();
  ApiResponse r;
  r.content_type = ContentType(rel);
  r.body = body.str();
  return r;
}

}  // namespace rockpool::api
