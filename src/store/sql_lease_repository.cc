#include "store/sql_lease_repository.h"

namespace rockpool {

// One statement: the insert, or the update when the row is the holder's own or run out, is
// atomic on both engines, so two processes never both get the lease.
Result<bool> SqlLeaseRepository::Acquire(const std::string& name, const std::string& holder,
                                         std::chrono::milliseconds ttl) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(
      auto stmt, conn->Prepare("INSERT INTO leases (name, holder, until_ms) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                               "until_ms = excluded.until_ms "
                               "WHERE leases.holder = excluded.holder OR leases.until_ms <= ?4"));
  const int64_t now = ToMillis(db_.clock().Now());
  stmt->Bind(1, name).Bind(2, holder).Bind(3, now + ttl.count()).Bind(4, now);
  RP_RETURN_IF_ERROR(stmt->Run("take lease " + name + " for " + holder));
  return stmt->Changes() > 0;
}

Status SqlLeaseRepository::Release(const std::string& name, const std::string& holder) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("DELETE FROM leases WHERE name = ? AND holder = ?"));
  stmt->Bind(1, name).Bind(2, holder);
  return stmt->Run("give up lease " + name);
}

Result<std::optional<Lease>> SqlLeaseRepository::Get(const std::string& name) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare("SELECT holder, until_ms FROM leases WHERE name = ?"));
  stmt->Bind(1, name);
  RP_ASSIGN_OR_RETURN(bool row, stmt->Step("read lease " + name));
  if (!row) return std::optional<Lease>();
  return std::optional<Lease>(Lease{name, stmt->Text(0), FromMillis(stmt->Int(1))});
}

}  // namespace rockpool
