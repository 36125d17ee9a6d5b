#include "service/origin_service.h"

#include "auth/api_token.h"
#include "store/uuid.h"

namespace rockpool {

Result<int> OriginService::Assign(const std::string& workspace_id, int forwarded_port) {
  if (!options_.enabled()) {
    return Status(Code::kUnimplemented, "this server serves workspaces on paths, not origins");
  }
  return store_.origins().Assign(workspace_id, forwarded_port, options_.first_port,
                                 options_.last_port);
}

Result<std::optional<Origin>> OriginService::Find(int port) {
  if (!options_.Contains(port)) return std::optional<Origin>();
  return store_.origins().Find(port);
}

Result<std::string> OriginService::IssueTicket(const std::string& session_id, int port) {
  std::string secret = auth::NewSecret(auth::kTicketPrefix);
  OriginGrant ticket{NewUuidV4(),
                     auth::TokenDigest(secret),
                     GrantKind::kTicket,
                     session_id,
                     port,
                     FormatTime(clock_.Now() + options_.ticket_life)};
  RP_RETURN_IF_ERROR(store_.origins().InsertGrant(ticket));
  return secret;
}

Result<OriginCookie> OriginService::Redeem(std::string_view ticket, int port) {
  const Status unusable = Status::NotFound(
      "this link into the workspace was used already, is too old, or is for another workspace; "
      "open the workspace from the dashboard again");
  if (!auth::LooksLikeSecret(ticket, auth::kTicketPrefix)) return unusable;
  const TimePoint now = clock_.Now();
  // Expired grants go first, so a ticket past its time is never taken.
  RP_RETURN_IF_ERROR(store_.origins().DeleteExpiredGrants(FormatTime(now)).status());
  RP_ASSIGN_OR_RETURN(auto taken, store_.origins().TakeTicket(auth::TokenDigest(ticket)));
  if (!taken || taken->origin_port != port) return unusable;
  OriginCookie cookie{auth::NewSecret(auth::kOriginPrefix), options_.cookie_life};
  OriginGrant grant{
      NewUuidV4(), auth::TokenDigest(cookie.secret),      GrantKind::kCookie, taken->session_id,
      port,        FormatTime(now + options_.cookie_life)};
  RP_RETURN_IF_ERROR(store_.origins().InsertGrant(grant));
  return cookie;
}

}  // namespace rockpool
