// ControlPlane: the control plane's parts wired together on one database, for the binaries.
//   rockpool serve:  Open(...), hand service() to the API server, and StartBackground() to run
//                    the worker and the reconciler in-process (the single-host default);
//   rockpool worker: Open(...) on the same database file and StartBackground(); several such
//                    processes may share the file.
// Members are destroyed in reverse order of construction: background loops stop first.
#pragma once

#include <memory>
#include <string>

#include "jobs/job_queue.h"
#include "proxy/proxy.h"
#include "runtime/runtime.h"
#include "service/workspace_service_impl.h"
#include "store/clock.h"
#include "store/sqlite_store.h"
#include "worker/reconciler.h"
#include "worker/worker.h"

namespace rockpool {

struct ControlPlaneOptions {
  std::string database_path;  // e.g. /var/lib/rockpool/rockpool.db
  // Workspace limits: what a create gets and may ask for, and what workspaces stored without
  // limits read as. Overrides store.default_limits and service.limits.
  LimitsPolicy limits;
  SqliteStoreOptions store;
  JobQueueOptions jobs;
  WorkspaceServiceOptions service;
  WorkerOptions worker;
  ReconcilerOptions reconciler;
};

class ControlPlane {
 public:
  // Opens (and migrates) the database and builds every part; starts nothing. `runtime`,
  // `proxy` and `clock` must outlive the control plane.
  static Result<std::unique_ptr<ControlPlane>> Open(const ControlPlaneOptions& options,
                                                    Runtime& runtime, Proxy& proxy,
                                                    ProxyConfig proxy_config, Clock& clock);
  ~ControlPlane() { Stop(); }

  Store& store() { return *store_; }
  JobQueue& queue() { return *queue_; }
  WorkspaceService& service() { return *service_; }
  Worker& worker() { return *worker_; }
  Reconciler& reconciler() { return *reconciler_; }

  // Starts the worker's poll loops and the reconciler's periodic pass.
  void StartBackground();
  // Stops them: the worker finishes the jobs it is running.
  void Stop();

 private:
  ControlPlane() = default;

  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<WorkspaceServiceImpl> service_;
  std::unique_ptr<Worker> worker_;
  std::unique_ptr<Reconciler> reconciler_;
};

}  // namespace rockpool
