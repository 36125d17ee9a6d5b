// Reverter: undoes the finished steps of a multi-step operation unless Success() is called,
// so a failure half-way leaves nothing half-created. Undo steps run in reverse order.
#pragma once

#include <functional>
#include <utility>
#include <vector>

namespace rockpool {

class Reverter {
 public:
  Reverter() = default;
  Reverter(const Reverter&) = delete;
  Reverter& operator=(const Reverter&) = delete;
  ~Reverter() {
    if (!done_) Revert();
  }

  // Registers an undo step for a step that has just succeeded.
  void Add(std::function<void()> undo) { undo_.push_back(std::move(undo)); }

  // The operation finished: keep everything.
  void Success() { done_ = true; }

  // Runs the undo steps now (last first) and forgets them.
  void Revert() {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
    undo_.clear();
  }

 private:
  std::vector<std::function<void()>> undo_;
  bool done_ = false;
};

}  // namespace rockpool
