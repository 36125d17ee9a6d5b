#include "auth/verified_cache.h"

#include <cstring>

namespace rockpool::auth {

Sha256Digest VerifiedCache::Key(std::string_view password_hash, std::string_view authorization) {
  std::string material;
  material.reserve(password_hash.size() + 1 + authorization.size());
  material.append(password_hash).push_back('\n');  // a hash never holds '\n'
  material.append(authorization);
  return Sha256(material);
}

size_t VerifiedCache::DigestHash::operator()(const Sha256Digest& d) const {
  size_t h;  // the digest is uniformly distributed already
  std::memcpy(&h, d.data(), sizeof h);
  return h;
}

bool VerifiedCache::Contains(const Sha256Digest& key) {
  std::lock_guard lock(mu_);
  return entries_.count(key) > 0;
}

void VerifiedCache::Insert(const Sha256Digest& key) {
  std::lock_guard lock(mu_);
  if (entries_.size() >= max_) entries_.clear();
  entries_.insert(key);
}

size_t VerifiedCache::size() {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace rockpool::auth
