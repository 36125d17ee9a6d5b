#include "service/store_session_service.h"

#include <algorithm>

#include "core/duration.h"
#include "service/stored_secret.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

constexpr char kSignInAgain[] = "sign in again";

}  // namespace

Result<StartedSession> StoreSessionService::Start(const std::string& username,
                                                  const std::string& binding) {
  const TimePoint now = clock_.Now();
  // Each sign-in sweeps away the sessions that ended by time and were never signed out: a few
  // rows at most, deleted by the one process that is writing anyway.
  RP_RETURN_IF_ERROR(store_.tokens()
                         .DeleteStaleSessions(FormatTime(now), FormatTime(now - options_.idle))
                         .status());
  StartedSession started;
  started.secret = auth::NewSessionSecret();
  started.max_age = options_.lifetime;
  ApiToken t;
  t.id = NewUuidV4();
  t.username = username;
  t.name = "session " + t.id;
  t.digest = auth::TokenDigest(started.secret);
  t.created_at = FormatTime(now);
  t.expires_at = FormatTime(now + options_.lifetime);
  t.last_used_at = t.created_at;
  t.kind = CredentialKind::kSession;
  t.binding = binding;
  RP_RETURN_IF_ERROR(store_.tokens().Insert(t).status());
  started.id = t.id;
  started.expires_at = *t.expires_at;
  return started;
}

Status StoreSessionService::End(const std::string& username, const std::string& id) {
  return store_.tokens().DeleteSession(username, id);
}

Result<int> StoreSessionService::EndAll(const std::string& username, const std::string& keep) {
  return store_.tokens().DeleteSessions(username, keep);
}

Result<auth::SessionIdentity> StoreSessionService::Verify(std::string_view secret) {
  RP_ASSIGN_OR_RETURN(auto found,
                      FindStoredSecret(store_, secret, CredentialKind::kSession, "the session"));
  if (!found) {
    return Status::NotFound(std::string("the session ended (signed out, or its password was "
                                        "changed); ") +
                            kSignInAgain);
  }
  return Live(*found);
}

Result<auth::SessionIdentity> StoreSessionService::VerifyOrigin(std::string_view secret, int port) {
  constexpr char kEnded[] =
      "the workspace's sign-in ended (signed out, or its session was ended); open the workspace "
      "from the dashboard again";
  auto grant = store_.origins().FindCookie(auth::TokenDigest(secret));
  if (!grant.ok()) return Status::Unavailable(grant.status().message());
  if (!*grant || (*grant)->origin_port != port) return Status::NotFound(kEnded);
  auto session = store_.tokens().FindById((*grant)->session_id);
  if (!session.ok()) return Status::Unavailable(session.status().message());
  if (!*session || (*session)->kind != CredentialKind::kSession) return Status::NotFound(kEnded);
  return Live(**session);
}

Result<auth::SessionIdentity> StoreSessionService::Live(const ApiToken& session) {
  const TimePoint now = clock_.Now();
  const auto expiry = session.expires_at ? ParseTime(*session.expires_at) : std::nullopt;
  if (!expiry || *expiry <= now) {
    return Status::NotFound("the session reached its limit of " +
                            FormatDurationSeconds(options_.lifetime.count()) + "; " + kSignInAgain);
  }
  const auto last_used = ParseTime(session.last_used_at.value_or(session.created_at));
  if (!last_used || now - *last_used >= options_.idle) {
    return Status::NotFound("the session was idle for longer than " +
                            FormatDurationSeconds(options_.idle.count()) + "; " + kSignInAgain);
  }
  const auto granularity =
      std::min<std::chrono::seconds>(std::chrono::minutes(1), options_.idle / 4);
  if (now - *last_used >= granularity) {
    // Best effort: a store too busy to record it must not refuse the request.
    (void)store_.tokens().SetLastUsed(session.id, FormatTime(now));
  }
  return auth::SessionIdentity{session.id, session.username, session.binding.value_or("")};
}

}  // namespace rockpool
