// JobRunner: the runtime steps of one lifecycle job. Every step is idempotent, so a job
// re-run after a crash at any point converges:
//   create: Create(with the workspace's limits) -> Configure(/workspace/<name>) -> Start ->
//           WaitHealthy (an instance left by a crashed attempt is adopted when it is
//           Rockpool's; its limits are put right by the Start)
//   start:  Start(limits: applied first when the instance's differ) -> WaitHealthy
//   stop:   remove every port socket and its row (before the instance stops) -> Stop
//   delete: remove every port socket and its row -> Remove
//   clone:  clone the workspace's source again (worker/source_clone.h)
// A create ends by cloning the workspace's source and applying the dotfiles; a clone that fails
// is recorded with the source and leaves the workspace usable, so it never fails the create.
//   restore: RestoreSnapshot(the job's argument) on the stopped instance; restoring the same
//           snapshot again gives the same filesystem, so a re-run after a crash converges
// A failed create or start undoes its finished steps (a Reverter) before the job is retried
// or failed, so nothing is left half-created. The runner changes no workspace status: the
// Worker records the outcome together with the job's completion.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "core/workspace.h"
#include "runtime/runtime.h"
#include "store/store.h"
#include "worker/source_clone.h"

namespace rockpool {

struct JobRunnerOptions {
  std::chrono::milliseconds health_timeout{60'000};
  CloneOptions clone;
};

class JobRunner {
 public:
  JobRunner(Store& store, Runtime& runtime, JobRunnerOptions options = {})
      : store_(store),
        runtime_(runtime),
        options_(options),
        cloner_(store, runtime, options.clone) {}

  // Runs `kind` for `ws`. `lease_lost` turns true when another worker has taken the job over;
  // the runner then leaves the instance alone instead of undoing steps the other worker
  // relies on.
  // `argument`: the job's argument (restore: the snapshot).
  Status Run(JobKind kind, const Workspace& ws, const std::atomic<bool>& lease_lost,
             const std::optional<std::string>& argument = std::nullopt);

  // True for failures that another attempt cannot fix (bad input, a foreign instance in the
  // way, a missing image or instance).
  static bool IsPermanent(const Status& status);

 private:
  Status RunCreate(const Workspace& ws, const std::atomic<bool>& lease_lost);
  Status RunStart(const Workspace& ws, const std::atomic<bool>& lease_lost);
  Status RunStop(const Workspace& ws);
  Status RunDelete(const Workspace& ws);
  Status RunClone(const Workspace& ws);
  Status RunRestore(const Workspace& ws, const std::optional<std::string>& snapshot);
  Status RemovePorts(const Workspace& ws);
  // Ok when an existing instance named like `ws` is Rockpool's (left by a crashed attempt).
  Status AdoptExisting(const Workspace& ws);

  Store& store_;
  Runtime& runtime_;
  JobRunnerOptions options_;
  SourceCloner cloner_;
};

}  // namespace rockpool
