// AddressTable<Entry>: state per client address, for at most `max_addresses` addresses.
//
// When the table is full, entries that `idle(entry, now)` says hold nothing worth keeping are
// dropped (a scan, done at most once a second). When none can be dropped, addresses that are
// not tracked yet share one overflow entry until it is idle: a crowd of addresses is then
// limited together, and can never push out an address's state (a lockout) to reset it.
//
// Not thread-safe: the owner (LoginThrottle, RequestBudget) holds its own lock around calls.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/monotonic_clock.h"

namespace rockpool::auth {

template <typename Entry>
class AddressTable {
 public:
  using IdleFn = std::function<bool(const Entry&, MonoTime now)>;

  AddressTable(size_t max_addresses, IdleFn idle)
      : max_(max_addresses == 0 ? 1 : max_addresses), idle_(std::move(idle)) {}

  // The entry for `address`; for an address not in the table while the overflow entry
  // exists, that one; null when there is none yet.
  Entry* Find(const std::string& address) {
    if (auto it = entries_.find(address); it != entries_.end()) return &it->second;
    return overflow_ ? &*overflow_ : nullptr;
  }

  // Like Find, but creates the entry (value-initialised) when there is none. Untracked
  // addresses keep sharing the overflow entry until it is idle, so none escapes its state.
  Entry& FindOrAdd(const std::string& address, MonoTime now) {
    if (auto it = entries_.find(address); it != entries_.end()) return it->second;
    if (overflow_ || entries_.size() >= max_) DropIdle(now);
    if (!overflow_ && entries_.size() < max_) return entries_[address];
    if (!overflow_) overflow_ = Entry{};  // not emplace(): clang 14 rejects it for a nested Entry
    return *overflow_;
  }

  // Forgets `address` (a successful sign-in); the overflow entry is kept.
  void Erase(const std::string& address) { entries_.erase(address); }

  // Drops idle entries now (the overflow one too, when idle).
  void DropIdle(MonoTime now) {
    if (last_drop_ && now - *last_drop_ < std::chrono::seconds(1)) return;
    last_drop_ = now;
    std::erase_if(entries_, [&](const auto& kv) { return idle_(kv.second, now); });
    if (overflow_ && idle_(*overflow_, now)) overflow_.reset();
  }

  size_t size() const { return entries_.size(); }
  bool has_overflow() const { return overflow_.has_value(); }

 private:
  const size_t max_;
  IdleFn idle_;
  std::unordered_map<std::string, Entry> entries_;
  std::optional<Entry> overflow_;
  std::optional<MonoTime> last_drop_;
};

}  // namespace rockpool::auth
