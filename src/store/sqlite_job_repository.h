// SqliteJobRepository: the JobRepository on a SqliteStore's connections.
#pragma once

#include "store/job_repository.h"
#include "store/sqlite_connections.h"

namespace rockpool {

class SqliteJobRepository : public JobRepository {
 public:
  // `db` must outlive the repository.
  explicit SqliteJobRepository(SqliteConnections& db) : db_(db) {}

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
  Result<std::vector<Job>> Query(sqlite::Statement& stmt, std::string_view what);
  // Checks that `owner` holds job `id` after an UPDATE ... WHERE lease_owner = owner.
  Status CheckLeaseHeld(sqlite::Statement& stmt, int64_t id, const std::string& owner,
                        std::string_view what);

  SqliteConnections& db_;
};

}  // namespace rockpool
