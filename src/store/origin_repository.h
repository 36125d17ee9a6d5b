// OriginRepository: port mode's origins (the host port that serves each workspace IDE and each
// forwarded port) and the grants that carry a browser session to one origin. Only a digest of a
// grant's secret is kept, as for API tokens. Every method is safe to call from several threads
// and processes, and joins the calling thread's Store::Transaction when there is one.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"

namespace rockpool {

struct Origin {
  int port = 0;
  std::string workspace_id;
  int forwarded_port = 0;  // 0: the workspace's IDE
};

enum class GrantKind { kTicket, kCookie };

struct OriginGrant {
  std::string id;      // a UUID
  std::string digest;  // SHA-256 of the secret, lowercase hex
  GrantKind kind = GrantKind::kTicket;
  std::string session_id;  // the browser session it carries; deleting that deletes the grant
  int origin_port = 0;
  std::string expires_at;  // RFC 3339 (store/clock.h)
};

class OriginRepository {
 public:
  virtual ~OriginRepository() = default;

  // The origin of (workspace, forwarded port), given the lowest free port of [first, last] when
  // it has none yet; it keeps that port until the workspace is deleted. OutOfRange when
  // every port of the range is taken.
  virtual Result<int> Assign(const std::string& workspace_id, int forwarded_port, int first,
                             int last) = 0;
  virtual Result<std::optional<Origin>> Find(int port) = 0;

  // AlreadyExists when a grant has that digest.
  virtual Status InsertGrant(const OriginGrant& grant) = 0;
  // Deletes the ticket whose secret has `digest` and returns it: a ticket works once, even
  // when two requests bring it at the same moment. nullopt when there is none.
  virtual Result<std::optional<OriginGrant>> TakeTicket(const std::string& digest) = 0;
  // The cookie grant whose secret has `digest`; nullopt when there is none.
  virtual Result<std::optional<OriginGrant>> FindCookie(const std::string& digest) = 0;
  // Deletes the grants that expire at or before `at`; how many.
  virtual Result<int> DeleteExpiredGrants(const std::string& at) = 0;
};

}  // namespace rockpool
