#include "cli/config.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>

#include "cli/install_paths.h"
#include "core/duration.h"
#include "core/workspace.h"
#include "proxy/caddy/caddy_daemon.h"
#include "store/pg_store.h"

namespace rockpool {
namespace {

void FromEnv(const char* name, std::string& out) {
  if (const char* v = std::getenv(name); v != nullptr && *v != '\0') out = v;
}

void FromEnv(const char* name, double& out) {
  if (const char* v = std::getenv(name); v != nullptr && *v != '\0') out = std::atof(v);
}

void FromEnv(const char* name, int& out) {
  if (const char* v = std::getenv(name); v != nullptr && *v != '\0') out = std::atoi(v);
}

}  // namespace

std::string Config::WorkspaceUrl(const std::string& name) const {
  return "http://" + public_host + ":" + std::to_string(workspace_port) + "/workspace/" + name +
         "/";
}

std::string Config::caddy_admin() const { return CaddyAdminSocketAddress(caddy_dir()); }

Result<int64_t> Config::IdleTimeoutSeconds() const {
  return ParseDurationSeconds(idle_timeout, "ROCKPOOL_IDLE_TIMEOUT", kMaxIdleTimeoutSeconds);
}

Result<std::chrono::milliseconds> Config::IdleCheckInterval() const {
  RP_ASSIGN_OR_RETURN(int64_t seconds, ParseDurationSeconds(idle_check_interval,
                                                            "ROCKPOOL_IDLE_CHECK_INTERVAL", 3600));
  if (seconds == 0) {
    return Status::InvalidArgument(
        "ROCKPOOL_IDLE_CHECK_INTERVAL is 0; give an interval of at least 1s, such as 15s");
  }
  return std::chrono::milliseconds(seconds * 1000);
}

Result<SessionOptions> Config::Sessions() const {
  constexpr int64_t kYear = int64_t{365} * 24 * 3600;
  RP_ASSIGN_OR_RETURN(int64_t idle,
                      ParseDurationSeconds(session_idle, "ROCKPOOL_SESSION_IDLE", kYear));
  RP_ASSIGN_OR_RETURN(int64_t lifetime,
                      ParseDurationSeconds(session_lifetime, "ROCKPOOL_SESSION_LIFETIME", kYear));
  if (idle == 0 || lifetime == 0) {
    return Status::InvalidArgument(
        "ROCKPOOL_SESSION_IDLE and ROCKPOOL_SESSION_LIFETIME must be longer than 0 (sessions "
        "always end); for example 12h and 168h");
  }
  return SessionOptions{std::chrono::seconds(idle), std::chrono::seconds(lifetime)};
}

Result<OriginOptions> Config::Origins() const {
  OriginOptions o;
  if (origin_ports == "off") return o;
  const Status bad = Status::InvalidArgument(
      "ROCKPOOL_ORIGIN_PORTS is \"" + origin_ports +
      "\"; give a range of host ports such as 20000-20999 (1024-65535, at most 10000 ports, "
      "apart from ROCKPOOL_CONTROL_PORT and ROCKPOOL_WORKSPACE_PORT), or off to serve every "
      "workspace on paths of one origin (unsafe: their pages can script each other)");
  const size_t dash = origin_ports.find('-');
  if (dash == std::string::npos) return bad;
  auto number = [](std::string_view s, int& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
  };
  const std::string_view text = origin_ports;
  if (!number(text.substr(0, dash), o.first_port) || !number(text.substr(dash + 1), o.last_port)) {
    return bad;
  }
  const auto inside = [&](int port) { return port >= o.first_port && port <= o.last_port; };
  if (o.first_port < 1024 || o.last_port > 65535 || o.first_port > o.last_port ||
      o.last_port - o.first_port >= 10000 || inside(control_port) || inside(workspace_port)) {
    return bad;
  }
  return o;
}

Status Config::CheckRuntime() const {
  if (runtime == "incus" || runtime == "tart") return Status::Ok();
  return Status::InvalidArgument("ROCKPOOL_RUNTIME is \"" + runtime +
                                 "\"; set it to incus (LXD) or tart (Tart VMs on macOS)");
}

std::string Config::DatabaseForDisplay() const {
  if (database_url.empty()) return database();
  std::string out = database_url;
  // postgres://user:password@host/db: the password goes.
  const size_t scheme = out.find("://");
  const size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t at = out.find('@', authority);
  const size_t colon = out.find(':', authority);
  if (scheme != std::string::npos && at != std::string::npos && colon < at) {
    out = out.substr(0, colon) + ":***" + out.substr(at);
  }
  // …?password=… (libpq takes it as a parameter too).
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p)) {
    const size_t value = p + 9;
    const size_t end = out.find('&', value);
    out = out.substr(0, value) + "***" + (end == std::string::npos ? "" : out.substr(end));
    p = value;
  }
  return out;
}

Status Config::CheckDatabase() const {
  if (database_url.empty() || IsPostgresUrl(database_url)) return Status::Ok();
  return Status::InvalidArgument(
      "ROCKPOOL_DATABASE_URL must be a PostgreSQL URL, postgres://user:password@host:5432/rockpool "
      "(or postgresql://…); unset it to keep the store in SQLite under " +
      state_dir);
}

Config Config::FromEnvironment() {
  Config c;
  FromEnv("ROCKPOOL_STATE_DIR", c.state_dir);
  FromEnv("ROCKPOOL_LOG_DIR", c.log_dir);
  FromEnv("ROCKPOOL_ENGINE_SOCKET", c.engine_socket);
  FromEnv("ROCKPOOL_RUNTIME", c.runtime);
  FromEnv("ROCKPOOL_TART", c.tart);
  std::string allow_host;
  FromEnv("ROCKPOOL_TART_ALLOW_HOST_ACCESS", allow_host);
  c.tart_allow_host_access = allow_host == "1";
  FromEnv("ROCKPOOL_CONTROL_PORT", c.control_port);
  FromEnv("ROCKPOOL_WORKSPACE_PORT", c.workspace_port);
  FromEnv("ROCKPOOL_IMAGE", c.image);
  FromEnv("ROCKPOOL_HOST", c.public_host);
  FromEnv("ROCKPOOL_BRIDGE", c.bridge);
  FromEnv("ROCKPOOL_POOL", c.pool);
  FromEnv("ROCKPOOL_SUBNET", c.subnet);
  FromEnv("ROCKPOOL_PROJECT", c.project);
  FromEnv("ROCKPOOL_DATABASE_URL", c.database_url);
  FromEnv("ROCKPOOL_EGRESS", c.egress);
  FromEnv("ROCKPOOL_EGRESS_ALLOW", c.egress_allow);
  FromEnv("ROCKPOOL_API_RATE", c.api_requests_per_second);
  FromEnv("ROCKPOOL_API_BURST", c.api_burst);
  c.recipe_dir = RecipeDir();
  FromEnv("ROCKPOOL_RECIPE_DIR", c.recipe_dir);
  FromEnv("ROCKPOOL_IDLE_TIMEOUT", c.idle_timeout);
  FromEnv("ROCKPOOL_IDLE_CHECK_INTERVAL", c.idle_check_interval);
  FromEnv("ROCKPOOL_SESSION_IDLE", c.session_idle);
  FromEnv("ROCKPOOL_ORIGIN_PORTS", c.origin_ports);
  FromEnv("ROCKPOOL_SESSION_LIFETIME", c.session_lifetime);
  if (auto max_snapshots = MaxSnapshotsFromEnvironment(); max_snapshots.ok()) {
    c.max_snapshots = *max_snapshots;
  }
  if (auto processes = ServeProcessesFromEnvironment(c.postgres_store()); processes.ok()) {
    c.serve_processes = *processes;
  }
  return c;
}

Result<LimitsPolicy> LimitsPolicyFromEnvironment() {
  auto policy = LimitsPolicyFromSettings([](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    return v == nullptr ? std::nullopt : std::optional<std::string>(v);
  });
  if (!policy.ok()) return policy.status().WithContext("workspace limit settings");
  return policy;
}

Result<int> MaxSnapshotsFromEnvironment() {
  const char* v = std::getenv("ROCKPOOL_MAX_SNAPSHOTS");
  if (v == nullptr || *v == '\0') return kDefaultMaxSnapshots;
  const std::string text(v);
  const bool digits = text.size() <= 4 && std::all_of(text.begin(), text.end(), [](char ch) {
                        return ch >= '0' && ch <= '9';
                      });
  const int value = digits ? std::stoi(text) : 0;
  if (value < 1 || value > kMaxMaxSnapshots) {
    return Status::InvalidArgument(
        "ROCKPOOL_MAX_SNAPSHOTS is \"" + text + "\"; set it to a whole number from 1 to " +
        std::to_string(kMaxMaxSnapshots) + " (snapshots kept per workspace)");
  }
  return value;
}

Result<int> ServeProcessesFromEnvironment(bool postgres_store) {
  const char* v = std::getenv("ROCKPOOL_SERVE_PROCESSES");
  if (v == nullptr || *v == '\0') return 1;
  const std::string text(v);
  const bool digit = text.size() == 1 && text[0] >= '1' && text[0] <= '0' + kMaxServeProcesses;
  if (!digit) {
    return Status::InvalidArgument(
        "ROCKPOOL_SERVE_PROCESSES is \"" + text + "\"; set it to a whole number from 1 to " +
        std::to_string(kMaxServeProcesses) + " (control-plane processes on this host)");
  }
  const int value = text[0] - '0';
  if (value > 1 && !postgres_store) {
    return Status::InvalidArgument(
        "ROCKPOOL_SERVE_PROCESSES is " + text +
        ", but the store is SQLite, which is for one process; set ROCKPOOL_DATABASE_URL to a "
        "PostgreSQL database for several, or set ROCKPOOL_SERVE_PROCESSES=1");
  }
  return value;
}

namespace {

std::optional<int> WarmPoolSize(const std::string& text) {
  if (text.empty() || text.size() > 2 ||
      !std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return std::nullopt;
  }
  const int value = std::stoi(text);
  return value <= kMaxWarmPool ? std::optional<int>(value) : std::nullopt;
}

}  // namespace

Result<std::map<std::string, int>> WarmPoolsFromEnvironment(const std::string& default_image) {
  const char* v = std::getenv("ROCKPOOL_WARM_POOL");
  if (v == nullptr || *v == '\0') return std::map<std::string, int>{{default_image, 1}};
  const std::string text(v);
  auto invalid = [&] {
    return Status::InvalidArgument(
        "ROCKPOOL_WARM_POOL is \"" + text + "\"; set it to a whole number from 0 to " +
        std::to_string(kMaxWarmPool) + " (booted workspaces kept ready for image " + default_image +
        "; 0 turns the pool off), or to <image>=<number> pairs separated by "
        "commas, such as \"" +
        default_image + "=2,other-image=1\"");
  };
  if (auto size = WarmPoolSize(text)) return std::map<std::string, int>{{default_image, *size}};
  std::map<std::string, int> out;
  size_t from = 0;
  while (from <= text.size()) {
    size_t comma = text.find(',', from);
    if (comma == std::string::npos) comma = text.size();
    const std::string pair = text.substr(from, comma - from);
    const size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) return invalid();
    auto size = WarmPoolSize(pair.substr(eq + 1));
    if (!size || !out.emplace(pair.substr(0, eq), *size).second) return invalid();
    from = comma + 1;
  }
  return out;
}

}  // namespace rockpool
