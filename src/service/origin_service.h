// OriginService: port mode's origins. Each workspace IDE and each forwarded port is served on a
// host port of its own (its origin), from a range Caddy listens on from bootstrap; the store
// keeps which. A browser's session reaches an origin through a one-time ticket ("rpk_", made
// while the dashboard's session is known, redeemed on that origin within `ticket_life`), which
// becomes a cookie ("rpo_") that only that origin accepts and that ends with the session.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/clock.h"
#include "store/store.h"

namespace rockpool {

struct OriginOptions {
  int first_port = 0;  // 0: port mode is off
  int last_port = 0;
  std::chrono::seconds ticket_life{60};
  // An origin's cookie lasts at most this long; it ends with its session before that.
  std::chrono::seconds cookie_life = std::chrono::days(7);

  bool enabled() const { return first_port > 0; }
  bool Contains(int port) const { return enabled() && port >= first_port && port <= last_port; }
};

struct OriginCookie {
  std::string secret;
  std::chrono::seconds max_age{0};
};

class OriginService {
 public:
  // `store` and `clock` must outlive the service.
  OriginService(Store& store, Clock& clock, OriginOptions options)
      : store_(store), clock_(clock), options_(options) {}

  const OriginOptions& options() const { return options_; }

  // The origin port of workspace `workspace_id`'s IDE (forwarded_port 0) or forwarded port,
  // given one from the range the first time.
  Result<int> Assign(const std::string& workspace_id, int forwarded_port);
  // What origin `port` serves; nullopt when no workspace has it.
  Result<std::optional<Origin>> Find(int port);
  // A ticket that carries session `session_id` to origin `port` once.
  Result<std::string> IssueTicket(const std::string& session_id, int port);
  // Redeems `ticket` on origin `port`: the cookie that signs its session in there. NotFound
  // when the ticket is unknown, used, too old or for another origin.
  Result<OriginCookie> Redeem(std::string_view ticket, int port);

 private:
  Store& store_;
  Clock& clock_;
  const OriginOptions options_;
};

}  // namespace rockpool
