// ListCache: list answers already encoded, reused while the service's list revision stays the
// same. Holds the answers of one revision only, within a byte budget.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rockpool::api {

class ListCache {
 public:
  explicit ListCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The answer stored for `key` at `revision`, or null.
  std::shared_ptr<const std::string> Find(const std::string& key, int64_t revision) const;
  // Stores `text` as the answer for `key` at `revision`. Answers of any other revision are
  // dropped first; when the budget would be exceeded everything is dropped.
  void Store(const std::string& key, int64_t revision, std::shared_ptr<const std::string> text);

  size_t bytes() const;

 private:
  const size_t max_bytes_;
  mutable std::mutex mu_;
  int64_t revision_ = -1;
  size_t bytes_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> answers_;
};

}  // namespace rockpool::api
