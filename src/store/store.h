// Store: persistence of workspaces, their forwarded ports and sources, the job queue, leases,
// API tokens and accounts, as repositories on one database that share its transactions, so a state
// change and the job that carries it out commit together. Implementations: SqliteStore (the
// embedded default) and PgStore, both SqlStore; nothing engine-specific appears here. Every method
// is safe to call from several threads; several processes may share one database.
#pragma once

#include <functional>

#include "core/status.h"
#include "store/job_repository.h"
#include "store/lease_repository.h"
#include "store/origin_repository.h"
#include "store/port_repository.h"
#include "store/source_repository.h"
#include "store/token_repository.h"
#include "store/user_repository.h"
#include "store/workspace_repository.h"

namespace rockpool {

class Store {
 public:
  virtual ~Store() = default;

  // Runs `body` in one write transaction: committed when it returns ok, rolled back otherwise
  // (its Status is returned). Calls of any of the repositories below on the same thread join
  // it. A Transaction inside a Transaction joins the outer one.
  virtual Status Transaction(const std::function<Status()>& body) = 0;

  virtual WorkspaceRepository& workspaces() = 0;
  virtual PortRepository& ports() = 0;
  virtual JobRepository& jobs() = 0;
  virtual SourceRepository& sources() = 0;
  virtual LeaseRepository& leases() = 0;
  virtual TokenRepository& tokens() = 0;
  virtual UserRepository& users() = 0;
  virtual OriginRepository& origins() = 0;
};

}  // namespace rockpool
