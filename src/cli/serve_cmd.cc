// rockpool serve: the control plane (REST API, in-process worker, reconciler) on
// 127.0.0.1:7163; it brings Caddy up with the whole system's routes on start.
// rockpool worker: only the worker, as a separate process on the same store.
#include <spdlog/spdlog.h>
#include <csignal>
#include <cstdio>

#include "api/server.h"
#include "cli/commands.h"
#include "cli/steps.h"
#include "store/clock.h"
#include "worker/control_plane.h"

namespace rockpool {
namespace {

struct ServeFlags {
  bool no_worker = false;
};

ControlPlaneOptions PlaneOptions(const Context& ctx, api::Metrics* metrics) {
  ControlPlaneOptions o;
  o.database_path = ctx.config().database();
  o.service.default_image = ctx.config().image;
  o.reconciler.spare_image = ctx.config().image;
  if (metrics != nullptr) {
    o.worker.on_job_done = [metrics](std::string_view kind, double seconds) {
      metrics->RecordJob(kind, seconds);
    };
  }
  return o;
}

Status Serve(Context& ctx, const ServeFlags& flags) {
  RP_ASSIGN_OR_RETURN(LimitsPolicy limits, LimitsPolicyFromEnvironment());
  RP_ASSIGN_OR_RETURN(Runtime * runtime, ctx.runtime());
  RP_RETURN_IF_ERROR(EnsureProxy(ctx));
  api::Metrics metrics;
  SystemClock clock;
  ControlPlaneOptions options = PlaneOptions(ctx, &metrics);
  options.limits = limits;
  if (flags.no_worker) options.worker.threads = 0;
  RP_ASSIGN_OR_RETURN(
      auto plane, ControlPlane::Open(options, *runtime, ctx.proxy(), ctx.proxy_config(), clock));
  api::ApiOptions api;
  auto [host, port] = ctx.config().ApiAddress();
  api.address = host;
  api.port = static_cast<uint16_t>(port);
  api.handle_signals = true;
  api::ApiServer server(api, plane->service(), metrics);
  RP_RETURN_IF_ERROR(server.Listen());
  plane->StartBackground();
  spdlog::info("serve: control plane on http://{}:{} (worker {}), database {}", host, server.port(),
               flags.no_worker ? "off" : "in-process", options.database_path);
  server.Run();  // until SIGTERM/SIGINT; in-flight requests finish
  spdlog::info("serve: stopping the worker and reconciler");
  plane->Stop();  // a running job finishes or its lease is released for another worker
  return Status::Ok();
}

volatile std::sig_atomic_t g_stop = 0;

Status RunWorker(Context& ctx) {
  ControlPlaneOptions options = PlaneOptions(ctx, nullptr);
  RP_ASSIGN_OR_RETURN(options.limits, LimitsPolicyFromEnvironment());
  RP_ASSIGN_OR_RETURN(Runtime * runtime, ctx.runtime());
  SystemClock clock;
  RP_ASSIGN_OR_RETURN(
      auto plane, ControlPlane::Open(options, *runtime, ctx.proxy(), ctx.proxy_config(), clock));
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  plane->StartBackground();
  spdlog::info("worker: taking jobs from {}", ctx.config().database());
  while (g_stop == 0) pause();
  spdlog::info("worker: stopping");
  plane->Stop();
  return Status::Ok();
}

}  // namespace

void AddServe(CLI::App& sub, Context& ctx) {
  auto flags = std::make_shared<ServeFlags>();
  sub.add_flag("--no-worker", flags->no_worker,
               "Run no worker in this process (start `rockpool worker` separately)");
  sub.callback([&ctx, flags] { ExitOnError(Serve(ctx, *flags)); });
}

void AddWorker(CLI::App& sub, Context& ctx) {
  sub.callback([&ctx] { ExitOnError(RunWorker(ctx)); });
}

}  // namespace rockpool
