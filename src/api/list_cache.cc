#include "api/list_cache.h"

namespace rockpool::api {

std::shared_ptr<const std::string> ListCache::Find(const std::string& key, int64_t revision) const {
  std::lock_guard lock(mu_);
  if (revision != revision_) return nullptr;
  auto it = answers_.find(key);
  return it == answers_.end() ? nullptr : it->second;
}

void ListCache::Store(const std::string& key, int64_t revision,
                      std::shared_ptr<const std::string> text) {
  const size_t size = key.size() + text->size();
  if (size > max_bytes_) return;
  std::lock_guard lock(mu_);
  if (revision != revision_ || bytes_ + size > max_bytes_) {
    answers_.clear();
    bytes_ = 0;
    revision_ = revision;
  }
  auto [it, inserted] = answers_.try_emplace(key, std::move(text));
  if (inserted) bytes_ += size;
}

size_t ListCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace rockpool::api
