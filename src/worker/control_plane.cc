#include "worker/control_plane.h"

namespace rockpool {

Result<std::unique_ptr<ControlPlane>> ControlPlane::Open(const ControlPlaneOptions& options,
                                                         Runtime& runtime, Proxy& proxy,
                                                         ProxyConfig proxy_config, Clock& clock) {
  std::unique_ptr<ControlPlane> cp(new ControlPlane());
  SqliteStoreOptions store = options.store;
  store.default_limits = options.limits.defaults;
  RP_ASSIGN_OR_RETURN(cp->store_, SqliteStore::Open(options.database_path, clock, store));
  cp->queue_ = std::make_unique<JobQueue>(*cp->store_, options.jobs);
  cp->worker_ = std::make_unique<Worker>(*cp->store_, *cp->queue_, runtime, options.worker);
  WorkspaceServiceOptions service = options.service;
  service.limits = options.limits;
  // A job queued through this process's API starts now, not at the worker's next poll.
  service.on_job_queued = [worker = cp->worker_.get(), also = service.on_job_queued] {
    worker->Wake();
    if (also) also();
  };
  cp->service_ =
      std::make_unique<WorkspaceServiceImpl>(*cp->store_, *cp->queue_, runtime, std::move(service));
  cp->reconciler_ = std::make_unique<Reconciler>(
      *cp->store_, *cp->queue_, runtime, proxy, std::move(proxy_config), clock, options.reconciler);
  return cp;
}

void ControlPlane::StartBackground() {
  reconciler_->Start();
  worker_->Start();
}

void ControlPlane::Stop() {
  if (reconciler_) reconciler_->Stop();
  if (worker_) worker_->Stop();
}

}  // namespace rockpool
