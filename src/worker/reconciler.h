// Reconciler: on start and every `interval`, compares the store with the runtime and the
// proxy and repairs drift. Policy:
//  - the proxy lost its bootstrap config (Caddy restarted): Bootstrap again;
//  - a running or stopped workspace whose instance vanished: `error`, with the reason;
//  - a running workspace whose instance is stopped (stopped outside Rockpool, or crashed):
//    `error` with the reason, not an automatic restart: a restart would hide a crash loop and
//    fight an operator who stopped it on purpose; the person sees why and can Start again;
//  - a stopped workspace whose instance runs: the instance is stopped;
//  - a running or stopped workspace whose instance is on a cluster member that stopped
//    answering (the engine lists it with status Error and its member): `error`, naming the
//    member (MemberLostReason); once the member is back and lists the instance again, the
//    workspace takes the state of its instance, running or stopped;
//  - the cluster member each workspace lives on is recorded (Workspace::location);
//  - a Rockpool-labelled instance with no workspace: logged when first seen, removed once it
//    has been seen for `orphan_grace` (not while its cluster member does not answer);
//  - a workspace in creating/starting/stopping with no queued or running job for longer than
//    `stuck_after`: its job is queued again (the job steps are idempotent);
//  - a port left pending for longer than `pending_port_grace` (its request crashed between
//    committing the row and confirming it) is reverted: its host socket and row are removed;
//  - finished jobs older than `job_retention` are deleted;
//  - the host firewall (when given) is checked first and reinstalled when missing or changed;
//  - the warm pools are kept at their sizes (one member made per quiet pass);
//  - what the engine needs for workspace limits to hold is repaired (Runtime::RepairLimits:
//    btrfs quota accounting the kernel marked inconsistent), so a window in which writes pass
//    a disk limit lasts at most one interval.
// Workspaces with a queued or running job are left to the worker.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job_queue.h"
#include "network/firewall.h"
#include "proxy/proxy.h"
#include "runtime/runtime.h"
#include "store/clock.h"
#include "store/store.h"
#include "worker/leadership.h"

namespace rockpool {

struct ReconcilerOptions {
  std::chrono::milliseconds interval{5'000};
  std::chrono::milliseconds orphan_grace{60'000};
  std::chrono::milliseconds stuck_after{300'000};
  std::chrono::milliseconds job_retention{7 * 24 * 3'600'000LL};  // finished jobs kept this long
  // Longer than any AddPort request takes (the engine's own operation timeout is 2 min): a
  // pending port this old was left by a crash.
  std::chrono::milliseconds pending_port_grace{600'000};
  // Readies the next create from this image (Runtime::Prewarm) once it has been found
  // unready on two passes in a row with no job running, so the work does not compete with
  // a workspace that is booting; empty: never.
  std::string spare_image;
  // Warm pools to keep (Runtime::FillWarmPools): booted members per image alias, made with
  // `warm_limits`; filled, one member per pass, only on passes with no job queued or running;
  // a job queued while a member is made goes first (Runtime::FillWarmPools' `busy`).
  // Members of images not listed here (or listed with 0) are removed; empty: the pools are
  // left alone.
  std::map<std::string, int> warm_pools;
  WorkspaceLimits warm_limits;
  // Kept in place every pass (Firewall::Ensure); null: none. Must outlive the reconciler.
  Firewall* firewall = nullptr;
  // Passes run only while this process leads (several control-plane processes share the
  // store; one reconciles). Null: this process always leads. Must outlive the reconciler.
  const Leadership* leader = nullptr;
};

// The reason a workspace is in error because the cluster member holding it stopped answering;
// the reconciler recognises it to bring the workspace back with its member.
std::string MemberLostReason(const std::string& workspace, const std::string& member);
bool IsMemberLostReason(const std::string& reason);

// What one pass found and did.
struct ReconcileReport {
  bool skipped = false;  // another process leads: this pass did nothing
  bool proxy_bootstrapped = false;
  bool firewall_restored = false;            // the firewall rules were missing or changed
  bool prewarmed = false;                    // Runtime::Prewarm ran
  int warm_made = 0;                         // warm pool members Runtime::FillWarmPools made
  std::vector<std::string> limits_repaired;  // what Runtime::RepairLimits repaired
  std::vector<std::string> failed;           // workspaces moved to error
  std::vector<std::string> recovered;        // back from error: their member answers again
  std::vector<std::string> relocated;        // workspaces whose recorded member changed
  std::vector<std::string> stopped;          // instances stopped to match a stopped workspace
  std::vector<std::string> requeued;         // stuck workspaces whose job was queued again
  std::vector<std::string> orphans;          // orphan instances still in their grace period
  std::vector<std::string> removed;          // orphan instances removed
  std::vector<std::string> ports_reverted;   // "<workspace>:<port>" pending ports undone
  std::vector<std::string> problems;         // errors met on the way (the pass goes on)
};

class Reconciler {
 public:
  // Every reference must outlive the reconciler.
  Reconciler(Store& store, JobQueue& queue, Runtime& runtime, Proxy& proxy,
             ProxyConfig proxy_config, Clock& clock, ReconcilerOptions options = {});
  ~Reconciler();  // Stop()
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  // One pass now, on the calling thread.
  Result<ReconcileReport> RunOnce();
  // Runs a pass at once and then every `interval` on a thread of its own.
  void Start();
  void Stop();

 private:
  void ReconcileProxy(ReconcileReport& report);
  void ReconcileFirewall(ReconcileReport& report);
  void ReconcileLimits(ReconcileReport& report);
  void ReconcilePendingPorts(ReconcileReport& report);
  // `quiet`: no job is queued or running.
  void Prewarm(bool quiet, ReconcileReport& report);
  void FillWarmPools(ReconcileReport& report);
  // REQUIRES: `ws` is not in error and had no pending job when listed.
  void ReconcileWorkspace(const Workspace& ws, const std::map<std::string, InstanceInfo>& instances,
                          ReconcileReport& report);
  // REQUIRES: `ws` had no pending job when listed.
  void ReconcileLocation(const Workspace& ws, const InstanceInfo& instance,
                         ReconcileReport& report);
  // REQUIRES: `ws` is in error for MemberLostReason and had no pending job when listed.
  void Recover(const Workspace& ws, const std::map<std::string, InstanceInfo>& instances,
               ReconcileReport& report);
  void ReconcileOrphans(const std::map<std::string, InstanceInfo>& instances,
                        const std::vector<Workspace>& workspaces, ReconcileReport& report);
  // Moves `ws` to error unless it changed (or got a job) since it was read.
  void Fail(const Workspace& ws, const std::string& reason, ReconcileReport& report);
  void Requeue(const Workspace& ws, ReconcileReport& report);
  // Runs `body` on the current row of `ws` if it is unchanged and has no pending job.
  Status IfUnchanged(const Workspace& ws, const std::function<Status()>& body);

  Store& store_;
  JobQueue& queue_;
  Runtime& runtime_;
  Proxy& proxy_;
  const ProxyConfig proxy_config_;
  Clock& clock_;
  const ReconcilerOptions options_;

  std::map<std::string, TimePoint> orphan_first_seen_;  // used by the pass thread only
  std::mutex pass_mu_;                                  // one pass at a time
  int unready_passes_ = 0;                              // GUARDED_BY(pass_mu_)

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace rockpool
