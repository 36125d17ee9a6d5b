// StoreSessionService: browser sessions kept in the Store's token table with kind "session".
// Verifying one is one indexed read of its digest; its last use (the start of its idle time) is
// written at most once a minute, or once a quarter of the idle limit when that is shorter.
#pragma once

#include "service/session_service.h"
#include "store/clock.h"
#include "store/store.h"

namespace rockpool {

class StoreSessionService final : public SessionService {
 public:
  // `store` and `clock` must outlive the service.
  StoreSessionService(Store& store, Clock& clock, SessionOptions options = {})
      : store_(store), clock_(clock), options_(options) {}

  Result<StartedSession> Start(const std::string& username, const std::string& binding) override;
  Status End(const std::string& username, const std::string& id) override;
  Result<int> EndAll(const std::string& username, const std::string& keep = "") override;
  Result<auth::SessionIdentity> Verify(std::string_view secret) override;
  Result<auth::SessionIdentity> VerifyOrigin(std::string_view secret, int port) override;

  const SessionOptions& options() const { return options_; }

 private:
  // The identity of `session` while it is within its limits (its use recorded); else NotFound.
  Result<auth::SessionIdentity> Live(const ApiToken& session);

  Store& store_;
  Clock& clock_;
  const SessionOptions options_;
};

}  // namespace rockpool
