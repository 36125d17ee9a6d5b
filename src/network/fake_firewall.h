// FakeFirewall: a Firewall for tests. Its rules are "in place" or not; Ensure puts them in
// place (unless told to fail) and counts how often it had to.
#pragma once

#include <mutex>

#include "network/firewall.h"

namespace rockpool {

class FakeFirewall final : public Firewall {
 public:
  Result<bool> Ensure() override {
    std::lock_guard lock(mu_);
    ++ensure_calls_;
    if (!fail_.ok()) return fail_;
    if (in_place_) return false;
    in_place_ = true;
    ++installs_;
    return true;
  }
  Result<FirewallCheck> Check() override {
    std::lock_guard lock(mu_);
    if (!fail_.ok()) return fail_;
    if (in_place_) return FirewallCheck{true, "fake rules in place", ""};
    return FirewallCheck{false, "fake rules missing", "install them"};
  }

  // Someone removed the rules (or they were never there).
  void Remove() {
    std::lock_guard lock(mu_);
    in_place_ = false;
  }
  // Ensure and Check return `status` until it is Ok again.
  void Fail(Status status) {
    std::lock_guard lock(mu_);
    fail_ = std::move(status);
  }
  bool in_place() const {
    std::lock_guard lock(mu_);
    return in_place_;
  }
  int installs() const {
    std::lock_guard lock(mu_);
    return installs_;
  }
  int ensure_calls() const {
    std::lock_guard lock(mu_);
    return ensure_calls_;
  }

 private:
  mutable std::mutex mu_;
  bool in_place_ = false;
  int installs_ = 0;
  int ensure_calls_ = 0;
  Status fail_;
};

}  // namespace rockpool
