// SqlJobRepository: the JobRepository on a sql::Database (SQLite or PostgreSQL).
#pragma once

#include <string>

#include "store/job_repository.h"
#include "store/sql.h"

namespace rockpool {

class SqlJobRepository : public JobRepository {
 public:
  // `db` must outlive the repository.
  explicit SqlJobRepository(sql::Database& db);

  Result<Job> Insert(const NewJob& job) override;
  Result<Job> Get(int64_t id) override;
  Result<std::optional<Job>> Claim(const std::string& owner,
                                   std::chrono::milliseconds lease) override;
  Status ExtendLease(int64_t id, const std::string& owner,
                     std::chrono::milliseconds lease) override;
  Status Finish(int64_t id, const std::string& owner, JobState final_state,
                const std::optional<std::string>& error) override;
  Status Requeue(int64_t id, const std::string& owner, std::chrono::milliseconds delay,
                 const std::optional<std::string>& error, bool count_attempt) override;
  Result<std::vector<Job>> ListUnfinished() override;
  Result<std::vector<Job>> ListForWorkspace(const std::string& workspace_id) override;
  Result<int> PruneFinished(std::chrono::milliseconds age) override;

 private:
  Result<std::vector<Job>> Query(sql::Statement& stmt, std::string_view what);
  // Checks that `owner` holds job `id` after an UPDATE ... WHERE lease_owner = owner.
  Status CheckLeaseHeld(sql::Statement& stmt, int64_t id, const std::string& owner,
                        std::string_view what);

  sql::Database& db_;
  const std::string claim_sql_;  // in the database's dialect, built once
};

}  // namespace rockpool
