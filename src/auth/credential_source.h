// CredentialSource: where the control plane learns the account it accepts. The real one reads
// <state>/auth.json (FileCredentialSource); tests use a FixedCredentialSource.
#pragma once

#include <mutex>
#include <string_view>
#include <utility>

#include "auth/basic_auth.h"
#include "auth/password_hash.h"
#include "core/status.h"

namespace rockpool::auth {

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // The credentials to check requests against now. Not ok (Unavailable, with a message that
  // says how to fix it) when there are none to be had: then no request may pass.
  // Thread-safe; called on every request, so it must be cheap when nothing changed.
  virtual Result<BasicAuth> Current() = 0;
  // Called after `password` was verified against `verified`'s hash when that hash NeedsRehash
  // (a bcrypt hash of an earlier release): stores a fresh hash of `password` if `verified` is
  // still what is stored. Best effort: a failure leaves the old hash, which still signs in.
  virtual void Rehash(const BasicAuth& /*verified*/, std::string_view /*password*/) {}
};

// Credentials held in memory; Set() replaces them, Fail() makes Current() fail.
class FixedCredentialSource final : public CredentialSource {
 public:
  explicit FixedCredentialSource(BasicAuth auth) : current_(std::move(auth)) {}

  Result<BasicAuth> Current() override {
    std::lock_guard lock(mu_);
    return current_;
  }
  void Set(BasicAuth auth) {
    std::lock_guard lock(mu_);
    current_ = std::move(auth);
  }
  void Fail(Status status) {
    std::lock_guard lock(mu_);
    current_ = std::move(status);
  }
  void Rehash(const BasicAuth& verified, std::string_view password) override {
    auto fresh = HashPassword(password);
    std::lock_guard lock(mu_);
    if (fresh.ok() && current_.ok() && current_->password_hash == verified.password_hash) {
      current_ = BasicAuth{verified.username, *fresh};
    }
  }

 private:
  std::mutex mu_;
  Result<BasicAuth> current_;
};

}  // namespace rockpool::auth
