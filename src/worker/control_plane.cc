#include "worker/control_plane.h"

namespace rockpool {

ControlPlane::ControlPlane(std::unique_ptr<Store> store, Runtime& runtime, Proxy& proxy,
                           ProxyConfig proxy_config, Clock& clock, ControlPlaneOptions options)
    : store_(std::move(store)) {
  leadership_ = std::make_unique<Leadership>(store_->leases(), options.leadership);
  options.reconciler.leader = leadership_.get();
  // Idle stops are led by their own lease, which only a process that sees activity (serve, not
  // a `rockpool worker`) takes: a process blind to activity must never be the one that decides.
  if (options.idle.activity != nullptr) {
    LeadershipOptions idle = options.leadership;
    idle.name = kIdleStopsLease;
    idle_leadership_ = std::make_unique<Leadership>(store_->leases(), idle);
    options.idle.leader = idle_leadership_.get();
  }
  queue_ = std::make_unique<JobQueue>(store_->jobs(), options.jobs);
  worker_ = std::make_unique<Worker>(*store_, *queue_, runtime, options.worker);
  WorkspaceServiceOptions service = options.service;
  service.limits = options.limits;
  // A job queued through this process's API starts now, not at the worker's next poll.
  service.on_job_queued = [worker = worker_.get(), also = service.on_job_queued] {
    worker->Wake();
    if (also) also();
  };
  service_ = std::make_unique<WorkspaceServiceImpl>(*store_, *queue_, runtime, std::move(service));
  reconciler_ = std::make_unique<Reconciler>(*store_, *queue_, runtime, proxy,
                                             std::move(proxy_config), clock, options.reconciler);
  IdleStopperOptions idle = options.idle;
  idle.on_job_queued = [worker = worker_.get(), also = idle.on_job_queued] {
    worker->Wake();
    if (also) also();
  };
  idle_stopper_ = std::make_unique<IdleStopper>(*store_, *queue_, clock, std::move(idle));
}

void ControlPlane::StartBackground() {
  leadership_->Start();
  if (idle_leadership_) idle_leadership_->Start();
  reconciler_->Start();
  worker_->Start();
  idle_stopper_->Start();
}

void ControlPlane::Stop() {
  if (idle_stopper_) idle_stopper_->Stop();
  if (reconciler_) reconciler_->Stop();
  if (worker_) worker_->Stop();
  if (leadership_) leadership_->Stop();
  if (idle_leadership_) idle_leadership_->Stop();
}

}  // namespace rockpool
