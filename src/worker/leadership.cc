#include "worker/leadership.h"

#include <spdlog/spdlog.h>

#include "jobs/local_owner.h"

namespace rockpool {
namespace {

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Leadership::Leadership(LeaseRepository& leases, LeadershipOptions options)
    : leases_(leases), options_(std::move(options)) {
  if (options_.holder.empty()) options_.holder = LocalWorkerId();
}

Leadership::~Leadership() { Stop(); }

bool Leadership::Renew() {
  const int64_t asked = SteadyNs();
  auto got = leases_.Acquire(options_.name, options_.holder, options_.ttl);
  if (!got.ok()) {
    // Unknown whether it still holds: it leads until the lease it had runs out.
    spdlog::warn("control plane: renew the {} lease: {}", options_.name, got.status().ToString());
  } else if (*got) {
    // Counted from before the request: the store's lease runs at least that long.
    held_until_ns_ = asked + std::chrono::nanoseconds(options_.ttl - options_.renew_every).count();
  } else {
    held_until_ns_ = 0;
  }
  const bool now_held = held();
  if (now_held != logged_held_.exchange(now_held)) {
    if (now_held) {
      spdlog::info("control plane: {} holds the {} lease", options_.holder, options_.name);
    } else {
      spdlog::info("control plane: {} no longer holds the {} lease; another process does",
                   options_.holder, options_.name);
    }
  }
  return now_held;
}

bool Leadership::held() const {
  const int64_t until = held_until_ns_.load();
  return until != 0 && SteadyNs() < until;
}

void Leadership::Start() {
  Renew();
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, options_.renew_every, [&] { return stopping_; })) {
      lock.unlock();
      Renew();
      lock.lock();
    }
  });
}

void Leadership::Stop() {
  std::thread t;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    t.swap(thread_);
  }
  cv_.notify_all();
  if (!t.joinable()) return;
  t.join();
  held_until_ns_ = 0;
  Status released = leases_.Release(options_.name, options_.holder);
  if (!released.ok()) spdlog::warn("control plane: {}", released.ToString());
}

}  // namespace rockpool
