// rockpool serve: the control plane (REST API, in-process worker, reconciler) on two root-only
// unix sockets: <state>/control.sock, which Caddy dials and where every request is
// authenticated, and <state>/local.sock for this host's own tools run as root. It installs the
// host firewall and brings Caddy up with the whole system's routes on start.
// rockpool serve --process <n>: serve process n of ROCKPOOL_SERVE_PROCESSES on this host, on
// control-<n>.sock and local-<n>.sock; Caddy sends requests to any of them.
// rockpool serve --dev: the same API on 127.0.0.1 with simulated workspaces (serve_dev.h).
// rockpool worker: only the worker, as a separate process on the same store.
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <fstream>

#include "api/security_gate.h"
#include "api/server.h"
#include "auth/file_credential_source.h"
#include "cli/commands.h"
#include "cli/composition.h"
#include "cli/serve_dev.h"
#include "cli/service.h"
#include "cli/source_settings.h"
#include "cli/steps.h"
#include "service/origin_service.h"
#include "service/store_session_service.h"
#include "service/store_token_service.h"
#include "service/store_user_service.h"
#include "store/clock.h"
#include "sys/process_lock.h"
#include "worker/activity.h"
#include "worker/socket_activity.h"

namespace rockpool {
namespace {

struct ServeFlags {
  int process = 1;
  bool no_worker = false;
  bool dev = false;
  DevServeFlags dev_flags;
};

ControlPlaneOptions PlaneOptions(const Context& ctx, api::Metrics* metrics) {
  ControlPlaneOptions o;
  o.service.default_image = ctx.config().image;
  o.reconciler.spare_image = ctx.config().image;
  if (metrics != nullptr) {
    o.worker.on_job_done = [metrics](std::string_view kind, double seconds) {
      metrics->RecordJob(kind, seconds);
    };
  }
  return o;
}

// Repository tokens are sealed by the service and opened by the worker with `secrets`.
Status AddSourceOptions(const auth::SecretBox& secrets, ControlPlaneOptions& options) {
  RP_ASSIGN_OR_RETURN(options.worker.runner.clone, CloneOptionsFromEnvironment());
  options.worker.runner.clone.secrets = &secrets;
  options.service.secrets = &secrets;
  return Status::Ok();
}

api::SecurityOptions SecurityFromConfig(const Config& c) {
  api::SecurityOptions o;
  o.budget.requests_per_second = c.api_requests_per_second;
  o.budget.burst = c.api_burst;
  return o;
}

// The engine answers, and the workspaces' isolation is in place, before anything is served:
// workspaces never run without it. Incus: the deployment's LXD project and the host firewall
// for its bridge. Tart: there is no host firewall for VMs (the image's guest firewall keeps
// VMs from each other, not from the Mac), so serve refuses unless that is accepted explicitly.
// Returns the firewall the reconciler keeps in place, if any.
Result<Firewall*> EnsureIsolation(Context& ctx) {
  RP_RETURN_IF_ERROR(ctx.config().CheckRuntime());
  if (ctx.config().tart_runtime()) {
    RP_RETURN_IF_ERROR(ctx.runtime().status());
    if (!ctx.config().tart_allow_host_access) {
      return Status::Unavailable(
          "refusing to serve on the tart runtime: Rockpool has no host firewall for Tart VMs "
          "yet, so code in a workspace can reach every service listening on this Mac (the "
          "image's guest firewall only keeps VMs from each other). Set "
          "ROCKPOOL_TART_ALLOW_HOST_ACCESS=1 to run anyway, accepting that");
    }
    spdlog::warn(
        "serve: tart runtime without a host firewall: workspaces can reach this host's "
        "services (ROCKPOOL_TART_ALLOW_HOST_ACCESS=1)");
    return nullptr;
  }
  RP_RETURN_IF_ERROR(EnsureProject(ctx));
  RP_RETURN_IF_ERROR(ctx.runtime().status());  // the engine answers before anything starts
  RP_ASSIGN_OR_RETURN(Firewall * firewall, ctx.firewall());
  RP_ASSIGN_OR_RETURN(bool installed, firewall->Ensure());
  if (installed) spdlog::info("serve: installed the host firewall for the workspace bridge");
  return firewall;
}

Status Serve(Context& ctx, const ServeFlags& flags) {
  // Fails closed: without sound credentials nothing is served, and nothing is started.
  auth::FileCredentialSource credentials(ctx.config().auth_file());
  RP_RETURN_IF_ERROR(credentials.Current().status());
  umask(077);  // the store, its journal and Caddy's files: root's alone
  RP_RETURN_IF_ERROR(EnsurePrivateState(ctx));
  const Config& c = ctx.config();
  RP_RETURN_IF_ERROR(ServeProcessesFromEnvironment(c.postgres_store()).status());
  const int process = flags.process;
  if (process < 1 || process > c.serve_processes) {
    return Status::InvalidArgument(
        "serve --process " + std::to_string(process) + ": ROCKPOOL_SERVE_PROCESSES is " +
        std::to_string(c.serve_processes) + ", so give a process number from 1 to " +
        std::to_string(c.serve_processes));
  }
  // One control plane per state folder and process number; `down` and `up` find it by this lock.
  auto lock = ProcessLock::Acquire(ServeLockFile(c, process));
  if (!lock.ok()) {
    return lock.status().WithContext("another control plane runs as process " +
                                     std::to_string(process) + " on " + c.state_dir +
                                     " (stop it with `rockpool down`)");
  }
  std::ofstream(ServePidFile(c, process)) << getpid() << "\n";
  RP_ASSIGN_OR_RETURN(LimitsPolicy limits, LimitsPolicyFromEnvironment());
  RP_ASSIGN_OR_RETURN(Firewall * firewall, EnsureIsolation(ctx));
  RP_RETURN_IF_ERROR(EnsureProxy(ctx));
  api::Metrics metrics;
  SystemClock clock;
  ControlPlaneOptions options = PlaneOptions(ctx, &metrics);
  options.reconciler.firewall = firewall;
  options.limits = limits;
  RP_ASSIGN_OR_RETURN(auto secrets, OpenSecretKey(ctx.config().state_dir));
  RP_RETURN_IF_ERROR(AddSourceOptions(*secrets, options));
  // Idle stops: activity as the proxy's forward-auth checks and the workspaces' host sockets
  // see it (worker/idle_policy.h).
  RequestActivity requests(clock);
  SocketActivity connections(ctx.config().socket_dir());
  CombinedActivity activity(requests, connections);
  RP_ASSIGN_OR_RETURN(options.idle.interval, ctx.config().IdleCheckInterval());
  options.idle.activity = &activity;
  RP_ASSIGN_OR_RETURN(options.service.max_snapshots, MaxSnapshotsFromEnvironment());
  RP_ASSIGN_OR_RETURN(options.reconciler.warm_pools, WarmPoolsFromEnvironment(ctx.config().image));
  options.reconciler.warm_limits = options.limits.defaults;
  if (flags.no_worker) options.worker.threads = 0;
  RP_ASSIGN_OR_RETURN(auto plane, ComposeControlPlane(ctx, options, clock));
  api::ApiOptions api;
  api.unix_socket = c.control_socket(process);
  api.local_socket = c.local_socket(process);
  api.handle_signals = true;
  api.on_forward_authorized = [&requests](std::string_view uri) { requests.Record(uri); };
  StoreTokenService tokens(plane->store(), clock, credentials);
  api.tokens = &tokens;
  StoreUserService users(plane->store(), credentials);
  api.users = &users;
  RP_ASSIGN_OR_RETURN(auto session_options, c.Sessions());
  StoreSessionService sessions(plane->store(), clock, session_options);
  api.sessions = &sessions;
  api.sign_in_port = c.control_port;
  RP_ASSIGN_OR_RETURN(auto origin_options, c.Origins());
  OriginService origins(plane->store(), clock, origin_options);
  api.origins = &origins;
  api::SecurityGate gate(credentials, SecurityFromConfig(ctx.config()),
                         auth::SteadyClock::Instance(), &tokens, &users, &sessions);
  api::ApiServer server(api, plane->service(), metrics, gate);
  RP_RETURN_IF_ERROR(server.Listen());
  plane->StartBackground();
  spdlog::info("serve: control plane on {} and {} (worker {}), database {}", api.unix_socket,
               api.local_socket, flags.no_worker ? "off" : "in-process",
               ctx.config().DatabaseForDisplay());
  server.Run();  // until SIGTERM/SIGINT; in-flight requests finish
  spdlog::info("serve: stopping the worker and reconciler");
  plane->Stop();  // a running job finishes or its lease is released for another worker
  return Status::Ok();
}

volatile std::sig_atomic_t g_stop = 0;

Status RunWorker(Context& ctx) {
  ControlPlaneOptions options = PlaneOptions(ctx, nullptr);
  RP_ASSIGN_OR_RETURN(options.limits, LimitsPolicyFromEnvironment());
  RP_ASSIGN_OR_RETURN(Firewall * firewall, EnsureIsolation(ctx));
  SystemClock clock;
  options.reconciler.firewall = firewall;
  RP_ASSIGN_OR_RETURN(auto secrets, OpenSecretKey(ctx.config().state_dir));
  RP_RETURN_IF_ERROR(AddSourceOptions(*secrets, options));
  RP_ASSIGN_OR_RETURN(auto plane, ComposeControlPlane(ctx, options, clock));
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  plane->StartBackground();
  spdlog::info("worker: taking jobs from {}", ctx.config().DatabaseForDisplay());
  while (g_stop == 0) pause();
  spdlog::info("worker: stopping");
  plane->Stop();
  return Status::Ok();
}

}  // namespace

void AddServe(CLI::App& sub, Context& ctx) {
  auto flags = std::make_shared<ServeFlags>();
  sub.add_option("--process", flags->process,
                 "Which of this host's ROCKPOOL_SERVE_PROCESSES serve processes this is (1 to "
                 "that number); each listens on sockets of its own")
      ->capture_default_str();
  auto* no_worker =
      sub.add_flag("--no-worker", flags->no_worker,
                   "Run no worker in this process (start `rockpool worker` separately)");
  auto* dev = sub.add_flag(
      "--dev", flags->dev,
      "Dev mode: serve the API and the dashboard on 127.0.0.1 with simulated workspaces, a fresh "
      "temporary store and no proxy. Never touches LXD, Caddy, the firewall, the deployment's "
      "state or its ports; prints the URL and the credentials");
  dev->excludes(no_worker);
  sub.add_option("--port", flags->dev_flags.port, "Dev mode's TCP port on 127.0.0.1 (0: any free)")
      ->needs(dev)
      ->capture_default_str();
  sub.callback(
      [&ctx, flags] { ExitOnError(flags->dev ? ServeDev(flags->dev_flags) : Serve(ctx, *flags)); });
}

void AddWorker(CLI::App& sub, Context& ctx) {
  sub.callback([&ctx] { ExitOnError(RunWorker(ctx)); });
}

}  // namespace rockpool
