// CredentialSource: where the control plane learns the account it accepts. The real one reads
// <state>/auth.json (FileCredentialSource); tests use a FixedCredentialSource.
#pragma once

#include <mutex>
#include <utility>

#include "auth/basic_auth.h"
#include "core/status.h"

namespace rockpool::auth {

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // The credentials to check requests against now. Not ok (Unavailable, with a message that
  // says how to fix it) when there are none to be had: then no request may pass.
  // Thread-safe; called on every request, so it must be cheap when nothing changed.
  virtual Result<BasicAuth> Current() = 0;
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

 private:
  std::mutex mu_;
  Result<BasicAuth> current_;
};

}  // namespace rockpool::auth
