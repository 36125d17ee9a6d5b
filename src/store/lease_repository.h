// LeaseRepository: named leases that at most one holder has at a time, shared by every process
// on the store, for work that exactly one control-plane process may do (the reconciler). A
// lease runs out unless its holder renews it; then anyone may take it. Every method is safe to
// call from several threads and processes.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/status.h"
#include "store/clock.h"

namespace rockpool {

struct Lease {
  std::string name;
  std::string holder;
  TimePoint until;
};

class LeaseRepository {
 public:
  virtual ~LeaseRepository() = default;
  // Takes the lease `name` for `holder` until now + `ttl` when it is free, run out, or already
  // `holder`'s (a renewal); true when `holder` has it now.
  virtual Result<bool> Acquire(const std::string& name, const std::string& holder,
                               std::chrono::milliseconds ttl) = 0;
  // Gives the lease up if `holder` has it (a clean shutdown: the next holder need not wait).
  virtual Status Release(const std::string& name, const std::string& holder) = 0;
  // The lease as stored, run out or not; nullopt when nobody ever took it.
  virtual Result<std::optional<Lease>> Get(const std::string& name) = 0;
};

}  // namespace rockpool
