// VerifiedCache: Authorization header values that were checked against a password hash and
// matched, remembered by SHA-256(hash, header) so a signed-in client never pays for a hash again
// and no password is kept in memory. Keying on the hash drops every entry when the password
// changes. Bounded: when full it starts over (there is one account; entries are one per
// browser or script, so this is rare). Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

#include "auth/digest.h"

namespace rockpool::auth {

class VerifiedCache {
 public:
  explicit VerifiedCache(size_t max_entries) : max_(max_entries == 0 ? 1 : max_entries) {}

  static Sha256Digest Key(std::string_view password_hash, std::string_view authorization);

  bool Contains(const Sha256Digest& key);
  void Insert(const Sha256Digest& key);
  size_t size();

 private:
  struct DigestHash {
    size_t operator()(const Sha256Digest& d) const;
  };
  const size_t max_;
  std::mutex mu_;
  std::unordered_set<Sha256Digest, DigestHash> entries_;
};

}  // namespace rockpool::auth
