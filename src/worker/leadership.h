// Leadership: whether this process is the one control-plane process that does a piece of work
// only one may do at a time (the reconciler's passes; the idle stops). Several control-plane
// processes may share one store (PostgreSQL, or one SQLite file on one host); they all run jobs,
// but only the holder of the store's lease `name` leads that work. The holder renews the lease
// on a thread of its own every `renew_every`, so a long pass does not lose it; a holder that
// dies stops renewing, and another process takes over once the lease has run out (`ttl`). A
// process that stops gives the lease up, so the next one leads at its next renewal.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "store/lease_repository.h"

namespace rockpool {

// The leases of the control plane: reconciling, and stopping idle workspaces.
inline constexpr char kReconcilerLease[] = "control-plane";
inline constexpr char kIdleStopsLease[] = "idle-stops";

struct LeadershipOptions {
  std::string name = kReconcilerLease;
  std::string holder;  // this process: "<host>:<pid>" (LocalWorkerId) unless set
  std::chrono::milliseconds ttl{15'000};
  std::chrono::milliseconds renew_every{3'000};
};

class Leadership {
 public:
  // `leases` must outlive this.
  Leadership(LeaseRepository& leases, LeadershipOptions options);
  ~Leadership();  // Stop()
  Leadership(const Leadership&) = delete;
  Leadership& operator=(const Leadership&) = delete;

  // Takes or renews the lease now, on the calling thread; returns held().
  bool Renew();
  // Whether this process leads: its last renewal got the lease, and by this host's steady clock
  // the lease has not run out since (with one renewal interval to spare).
  bool held() const;
  const std::string& holder() const { return options_.holder; }

  // Renews once now and then every renew_every on a thread of its own.
  void Start();
  // Stops renewing and gives the lease up.
  void Stop();

 private:
  LeaseRepository& leases_;
  LeadershipOptions options_;
  std::atomic<int64_t> held_until_ns_{0};  // steady clock; 0: not held
  std::atomic<bool> logged_held_{false};

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rockpool
