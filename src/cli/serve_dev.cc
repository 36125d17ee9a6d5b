#include "cli/serve_dev.h"

#include "cli/source_settings.h"

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "api/security_gate.h"
#include "api/server.h"
#include "auth/file_credential_source.h"
#include "cli/auth.h"
#include "cli/config.h"
#include "cli/install_paths.h"
#include "cli/source_settings.h"
#include "proxy/noop/noop_proxy.h"
#include "runtime/sim/sim_runtime.h"
#include "service/store_session_service.h"
#include "service/store_token_service.h"
#include "service/store_user_service.h"
#include "store/clock.h"
#include "store/sqlite_store.h"
#include "worker/control_plane.h"

namespace rockpool {
namespace {

// A private temporary folder for the store and the credentials, removed with its contents.
class DevStateDir {
 public:
  static Result<std::unique_ptr<DevStateDir>> Make() {
    std::error_code ec;
    std::string tmpl = (std::filesystem::temp_directory_path(ec) / "rockpool-dev-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      return Status::Unavailable("dev mode: make a temporary folder " + tmpl + ": " +
                                 std::strerror(errno) + "; set TMPDIR to a writable folder");
    }
    return std::unique_ptr<DevStateDir>(new DevStateDir(tmpl));
  }
  ~DevStateDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit DevStateDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

Result<double> DelayScale() {
  const std::string v = Env("ROCKPOOL_DEV_DELAY_SCALE");
  if (v.empty()) return 1.0;
  char* end = nullptr;
  const double scale = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || !(scale >= 0) || scale > 100) {
    return Status::InvalidArgument("ROCKPOOL_DEV_DELAY_SCALE is \"" + v +
                                   "\"; use a number from 0 (no delays) to 100 (1: as a real "
                                   "engine takes)");
  }
  return scale;
}

Result<SimRuntimeOptions> RuntimeOptions(const Config& config) {
  SimRuntimeOptions o;
  RP_ASSIGN_OR_RETURN(o.delay_scale, DelayScale());
  o.images = {config.image};
  RP_ASSIGN_OR_RETURN(o.fail_start, ParseFailStart(Env("ROCKPOOL_DEV_FAIL_START")));
  return o;
}

ControlPlaneOptions PlaneOptions(const Config& config, const LimitsPolicy& limits, double scale,
                                 api::Metrics& metrics) {
  ControlPlaneOptions o;
  o.limits = limits;
  o.service.default_image = config.image;
  o.service.max_snapshots = config.max_snapshots;
  // A failed job is retried after a backoff that shrinks with the simulated delays, so a
  // failure reaches `error` as soon as the dev runtime's steps would allow.
  o.jobs.backoff_base = std::chrono::milliseconds(
      static_cast<int64_t>(static_cast<double>(o.jobs.backoff_base.count()) * scale));
  o.jobs.backoff_max =
      std::max(o.jobs.backoff_base, std::chrono::milliseconds(static_cast<int64_t>(
                                        static_cast<double>(o.jobs.backoff_max.count()) * scale)));
  o.worker.on_job_done = [&metrics](std::string_view kind, double seconds) {
    metrics.RecordJob(kind, seconds);
  };
  return o;
}

void PrintBanner(const std::string& url, const AuthChange& auth, const SimRuntimeOptions& sim,
                 const std::string& dashboard) {
  std::printf(
      "Rockpool dev mode: simulated workspaces (no LXD, Caddy, firewall or deployment state)\n");
  std::printf("url: %s\n", url.c_str());
  std::printf("dashboard: %s/app/\n", url.c_str());
  std::printf("username: %s\n", auth.auth.username.c_str());
  if (auth.new_password) {
    std::printf("password: %s\n", auth.new_password->c_str());
  } else {
    std::printf("password: (ROCKPOOL_PASSWORD)\n");
  }
  std::printf("delay scale: %g\n", sim.delay_scale);
  if (!std::filesystem::is_regular_file(dashboard + "/index.html")) {
    std::printf("dashboard files: none in %s; run `npm run build` in web/ (the API answers)\n",
                dashboard.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

Status ServeDev(const DevServeFlags& flags) {
  if (flags.port < 0 || flags.port > 65535) {
    return Status::InvalidArgument("--port " + std::to_string(flags.port) +
                                   ": use 0 (any free port) to 65535");
  }
  const Config config = Config::FromEnvironment();  // read only for the image and API budget
  RP_ASSIGN_OR_RETURN(SimRuntimeOptions sim, RuntimeOptions(config));
  RP_ASSIGN_OR_RETURN(LimitsPolicy limits, LimitsPolicyFromEnvironment());
  RP_ASSIGN_OR_RETURN(auto state, DevStateDir::Make());
  RP_ASSIGN_OR_RETURN(AuthChange auth, EnsureAuth(state->path()));
  auth::FileCredentialSource credentials(state->path() + "/auth.json");
  RP_RETURN_IF_ERROR(credentials.Current().status());

  SimRuntime runtime(sim);
  NoopProxy proxy;
  SystemClock clock;
  api::Metrics metrics;
  StoreOptions store_options;
  store_options.default_limits = limits.defaults;
  RP_ASSIGN_OR_RETURN(auto store,
                      SqliteStore::Open(state->path() + "/rockpool.db", clock, store_options));
  RP_ASSIGN_OR_RETURN(auto secrets, OpenSecretKey(state->path()));
  ControlPlaneOptions options = PlaneOptions(config, limits, sim.delay_scale, metrics);
  options.service.secrets = secrets.get();
  options.worker.runner.clone.secrets = secrets.get();
  ControlPlane plane(std::move(store), runtime, proxy, ProxyConfig{}, clock, options);
  StoreTokenService tokens(plane.store(), clock, credentials);

  api::ApiOptions api;
  api.address = "127.0.0.1";
  api.port = static_cast<uint16_t>(flags.port);
  api.handle_signals = true;
  api.dashboard_dir = DashboardDir();
  api.tokens = &tokens;
  StoreUserService users(plane.store(), credentials);
  api.users = &users;
  RP_ASSIGN_OR_RETURN(auto session_options, config.Sessions());
  StoreSessionService sessions(plane.store(), clock, session_options);
  api.sessions = &sessions;
  api::SecurityOptions security;
  security.budget.requests_per_second = config.api_requests_per_second;
  security.budget.burst = config.api_burst;
  api::SecurityGate gate(credentials, security, auth::SteadyClock::Instance(), &tokens, &users,
                         &sessions);
  api::ApiServer server(api, plane.service(), metrics, gate);
  RP_RETURN_IF_ERROR(server.Listen().WithContext("dev mode"));
  PrintBanner(server.endpoint(), auth, sim, api.dashboard_dir);
  plane.StartBackground();
  spdlog::info("serve --dev: store {} (removed on exit)", state->path());
  server.Run();  // until SIGTERM/SIGINT
  plane.Stop();
  spdlog::info("serve --dev: stopped; removing {}", state->path());
  return Status::Ok();
}

}  // namespace rockpool
