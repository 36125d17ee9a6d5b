#include "store/sql_job_repository.h"

namespace rockpool {
namespace {

constexpr const char* kJobColumns =
    "id, workspace_id, kind, state, attempts, max_attempts, run_after, lease_owner, "
    "lease_until, last_error, created_at, updated_at, argument";

std::string JobName(int64_t id) { return "job " + std::to_string(id); }

}  // namespace

Result<std::vector<Job>> SqlJobRepository::Query(sql::Statement& stmt, std::string_view what) {
  std::vector<Job> out;
  for (;;) {
    RP_ASSIGN_OR_RETURN(bool row, stmt.Step(what));
    if (!row) return out;
    Job job;
    job.id = stmt.Int(0);
    job.workspace_id = stmt.Text(1);
    auto kind = ParseJobKind(stmt.Text(2));
    auto state = ParseJobState(stmt.Text(3));
    if (!kind || !state) return Status::Internal("store: " + JobName(job.id) + " is malformed");
    job.kind = *kind;
    job.state = *state;
    job.attempts = static_cast<int>(stmt.Int(4));
    job.max_attempts = static_cast<int>(stmt.Int(5));
    job.run_after = FromMillis(stmt.Int(6));
    job.lease_owner = stmt.OptText(7);
    if (auto until = stmt.OptInt(8)) job.lease_until = FromMillis(*until);
    job.last_error = stmt.OptText(9);
    job.created_at = FromMillis(stmt.Int(10));
    job.updated_at = FromMillis(stmt.Int(11));
    job.argument = stmt.OptText(12);
    out.push_back(std::move(job));
  }
}

Result<Job> SqlJobRepository::Insert(const NewJob& job) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(
      auto stmt,
      conn->Prepare(std::string("INSERT INTO jobs (workspace_id, kind, state, max_attempts, "
                                "run_after, created_at, updated_at, argument) "
                                "VALUES (?1, ?2, 'queued', ?3, ?4, ?4, ?4, ?5) RETURNING ") +
                    kJobColumns));
  stmt->Bind(1, job.workspace_id).Bind(2, JobKindName(job.kind)).Bind(3, job.max_attempts);
  stmt->Bind(4, ToMillis(db_.clock().Now()));
  stmt->Bind(5, job.argument);
  RP_ASSIGN_OR_RETURN(auto rows,
                      Query(*stmt, std::string("enqueue ") + std::string(JobKindName(job.kind)) +
                                       " job for workspace " + job.workspace_id));
  if (rows.empty()) return Status::Internal("store: enqueue returned no job");
  return std::move(rows.front());
}

Result<Job> SqlJobRepository::Get(int64_t id) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(
      auto stmt, conn->Prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?"));
  stmt->Bind(1, id);
  RP_ASSIGN_OR_RETURN(auto rows, Query(*stmt, "read " + JobName(id)));
  if (rows.empty()) return Status::NotFound(JobName(id) + " not found");
  return std::move(rows.front());
}

// The claim is one statement in a write transaction: the pick and the lease cannot be split by
// another process, so two claimers never get the same job. On PostgreSQL the pick also locks its
// row (and skips rows another claim holds).
SqlJobRepository::SqlJobRepository(sql::Database& db)
    : db_(db),
      claim_sql_(
          std::string("UPDATE jobs SET state = 'running', lease_owner = ?1, lease_until = ?2, "
                      "attempts = attempts + 1, updated_at = ?3 WHERE id = ("
                      " SELECT j.id FROM jobs j WHERE j.state IN ('queued', 'running')"
                      "  AND ((j.state = 'queued' AND j.run_after <= ?3)"
                      "       OR (j.state = 'running' AND j.lease_until <= ?3))"
                      "  AND NOT EXISTS (SELECT 1 FROM jobs k WHERE k.workspace_id = j.workspace_id"
                      "                  AND k.state IN ('queued', 'running') AND k.id < j.id)"
                      "  ORDER BY j.run_after, j.id LIMIT 1") +
          std::string(db.dialect().claim_lock) + ") RETURNING " + kJobColumns) {}

Result<std::optional<Job>> SqlJobRepository::Claim(const std::string& owner,
                                                   std::chrono::milliseconds lease) {
  std::optional<Job> claimed;
  RP_RETURN_IF_ERROR(db_.Transaction([&]() -> Status {
    const int64_t now = ToMillis(db_.clock().Now());
    auto conn = db_.Writer();
    RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(claim_sql_));
    stmt->Bind(1, owner).Bind(2, now + lease.count()).Bind(3, now);
    RP_ASSIGN_OR_RETURN(auto rows, Query(*stmt, "claim a job for " + owner));
    if (!rows.empty()) claimed = std::move(rows.front());
    return Status::Ok();
  }));
  return claimed;
}

Status SqlJobRepository::CheckLeaseHeld(sql::Statement& stmt, int64_t id, const std::string& owner,
                                        std::string_view what) {
  RP_RETURN_IF_ERROR(stmt.Run(std::string(what) + " " + JobName(id)));
  if (stmt.Changes() > 0) return Status::Ok();
  return Status::Conflict("cannot " + std::string(what) + " " + JobName(id) + ": " + owner +
                          " no longer holds its lease (it expired and the job was taken again, "
                          "or the job is finished)");
}

Status SqlJobRepository::ExtendLease(int64_t id, const std::string& owner,
                                     std::chrono::milliseconds lease) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("UPDATE jobs SET lease_until = ?1, "
                                               "updated_at = ?2 WHERE id = ?3 AND state = "
                                               "'running' AND lease_owner = ?4"));
  const int64_t now = ToMillis(db_.clock().Now());
  stmt->Bind(1, now + lease.count()).Bind(2, now).Bind(3, id).Bind(4, owner);
  return CheckLeaseHeld(*stmt, id, owner, "extend the lease of");
}

Status SqlJobRepository::Finish(int64_t id, const std::string& owner, JobState final_state,
                                const std::optional<std::string>& error) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("UPDATE jobs SET state = ?1, last_error = ?2, "
                                               "lease_owner = NULL, lease_until = NULL, "
                                               "updated_at = ?3 WHERE id = ?4 AND state = "
                                               "'running' AND lease_owner = ?5"));
  stmt->Bind(1, JobStateName(final_state)).Bind(2, error).Bind(3, ToMillis(db_.clock().Now()));
  stmt->Bind(4, id).Bind(5, owner);
  return CheckLeaseHeld(*stmt, id, owner, "finish");
}

Status SqlJobRepository::Requeue(int64_t id, const std::string& owner,
                                 std::chrono::milliseconds delay,
                                 const std::optional<std::string>& error, bool count_attempt) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare("UPDATE jobs SET state = 'queued', run_after = ?1, "
                                    "last_error = coalesce(?2, last_error), lease_owner = NULL, "
                                    "lease_until = NULL, attempts = attempts - ?3, updated_at = ?4 "
                                    "WHERE id = ?5 AND state = 'running' AND lease_owner = ?6"));
  const int64_t now = ToMillis(db_.clock().Now());
  stmt->Bind(1, now + delay.count()).Bind(2, error).Bind(3, count_attempt ? 0 : 1);
  stmt->Bind(4, now).Bind(5, id).Bind(6, owner);
  return CheckLeaseHeld(*stmt, id, owner, "requeue");
}

Result<std::vector<Job>> SqlJobRepository::ListUnfinished() {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt,
                      conn->Prepare(std::string("SELECT ") + kJobColumns +
                                    " FROM jobs WHERE state IN ('queued', 'running') ORDER BY id"));
  return Query(*stmt, "list unfinished jobs");
}

Result<std::vector<Job>> SqlJobRepository::ListForWorkspace(const std::string& workspace_id) {
  auto conn = db_.Reader();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(std::string("SELECT ") + kJobColumns +
                                               " FROM jobs WHERE workspace_id = ? ORDER BY id"));
  stmt->Bind(1, workspace_id);
  return Query(*stmt, "list jobs of workspace " + workspace_id);
}

Result<int> SqlJobRepository::PruneFinished(std::chrono::milliseconds age) {
  auto conn = db_.Writer();
  RP_ASSIGN_OR_RETURN(auto stmt, conn->Prepare("DELETE FROM jobs WHERE state IN ('done', "
                                               "'failed') AND updated_at < ?"));
  stmt->Bind(1, ToMillis(db_.clock().Now()) - age.count());
  RP_RETURN_IF_ERROR(stmt->Run("prune finished jobs"));
  return stmt->Changes();
}

}  // namespace rockpool
