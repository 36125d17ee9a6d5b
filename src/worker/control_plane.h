// ControlPlane: the control plane's parts wired together on one store, for the binaries.
//   rockpool serve:  hand service() to the API server, and StartBackground() to run the worker
//                    and the reconciler in-process (the single-host default);
//   rockpool worker: StartBackground() only, on the same database; several such processes may
//                    share it.
// It sees every adapter as an interface: the store, runtime and proxy are chosen and opened by
// the composition root (cli/composition.h), so another store plugs in without touching this.
// Members are destroyed in reverse order of construction: background loops stop first.
#pragma once

#include <memory>
#include <string>

#include "jobs/job_queue.h"
#include "proxy/proxy.h"
#include "runtime/runtime.h"
#include "service/workspace_service_impl.h"
#include "store/clock.h"
#include "store/store.h"
#include "worker/idle_stopper.h"
#include "worker/leadership.h"
#include "worker/reconciler.h"
#include "worker/worker.h"

namespace rockpool {

struct ControlPlaneOptions {
  // Workspace limits: what a create gets and may ask for. Overrides service.limits. (What
  // workspaces stored without limits read as is the store's option: the composition root
  // gives it limits.defaults.)
  LimitsPolicy limits;
  JobQueueOptions jobs;
  WorkspaceServiceOptions service;
  WorkerOptions worker;
  ReconcilerOptions reconciler;
  // Idle stops; none unless `idle.activity` is set.
  IdleStopperOptions idle;
  // Which of several processes on the store reconciles (lease `leadership.name`) and which
  // stops idle workspaces (lease kIdleStopsLease, taken only by processes with an activity
  // source: `serve`, not `rockpool worker`).
  LeadershipOptions leadership;
};

class ControlPlane {
 public:
  // Builds every part on `store` (opened and migrated); starts nothing. `runtime`, `proxy` and
  // `clock` must outlive the control plane.
  ControlPlane(std::unique_ptr<Store> store, Runtime& runtime, Proxy& proxy,
               ProxyConfig proxy_config, Clock& clock, ControlPlaneOptions options = {});
  ~ControlPlane() { Stop(); }
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  Store& store() { return *store_; }
  JobQueue& queue() { return *queue_; }
  WorkspaceService& service() { return *service_; }
  Worker& worker() { return *worker_; }
  Reconciler& reconciler() { return *reconciler_; }
  IdleStopper& idle_stopper() { return *idle_stopper_; }

  // Starts the worker's poll loops, the reconciler's periodic pass and the idle checks.
  void StartBackground();
  // Stops them: the worker finishes the jobs it is running.
  void Stop();

 private:
  std::unique_ptr<Store> store_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<Worker> worker_;
  std::unique_ptr<WorkspaceServiceImpl> service_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<IdleStopper> idle_stopper_;
  std::unique_ptr<Leadership> leadership_;       // the reconciler's
  std::unique_ptr<Leadership> idle_leadership_;  // idle stops'; only with an activity source
};

}  // namespace rockpool
