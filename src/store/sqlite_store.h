// SqliteStore: the Store on one SQLite file (WAL, foreign keys on, busy timeout), schema kept
// by versioned migrations applied at Open. Several processes may open the same file: writes
// take SQLite's write lock up front (BEGIN IMMEDIATE) and wait for it up to busy_timeout.
// Within a process, one writer connection serves writes and transactions, one at a time;
// reads outside the calling thread's transaction run concurrently on pooled reader
// connections (WAL lets readers proceed while a writer works).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/clock.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace rockpool {

struct SqliteStoreOptions {
  std::chrono::milliseconds busy_timeout{5000};
  // What a workspace stored without limits (created before they were kept) reads as.
  WorkspaceLimits default_limits;
};

class SqliteStore : public Store {
 public:
  // Opens (creating if needed) the database at `path` and migrates it to the latest schema.
  // `clock` must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, Clock& clock,
                                                   SqliteStoreOptions options = {});
  // Latest schema version this build knows.
  static int SchemaVersion();

  Status Transaction(const std::function<Status()>& body) override;

  Result<Workspace> InsertWorkspace(const Workspace& ws) override;
  Result<Workspace> GetWorkspace(const std::string& id) override;
  Result<Workspace> GetWorkspaceByName(const std::string& name) override;
  Result<WorkspacePage> ListWorkspaces(int limit,
                                       const std::optional<std::string>& cursor) override;
  Result<std::vector<Workspace>> ListAllWorkspaces() override;
  Status UpdateWorkspaceStatus(const std::string& id, WorkspaceStatus status,
                               const std::optional<std::string>& reason) override;
  Status DeleteWorkspace(const std::string& id) override;
  Result<std::map<WorkspaceStatus, int>> CountWorkspacesByStatus() override;
  Result<int64_t> WorkspacesRevision() override;

  Result<Port> InsertPort(const Port& port) override;
  Result<std::vector<Port>> ListPorts(const std::string& workspace_id) override;
  Result<std::vector<Port>> ListPendingPorts() override;
  Status ActivatePort(const std::string& workspace_id, int port) override;
  Status DeletePort(const std::string& workspace_id, int port) override;
  Status DeletePendingPort(const std::string& workspace_id, int port) override;

  Result<Job> InsertJob(const NewJob& job) override;
  Result<Job> GetJob(int64_t id) override;
  Result<std::optional<Job>> ClaimJob(const std::string& owner,
                                      std::chrono::milliseconds lease) override;
  Status ExtendLease(int64_t id, const std::string& owner,
                     std::chrono::milliseconds lease) override;
  Status FinishJob(int64_t id, const std::string& owner, JobState final_state,
                   const std::optional<std::string>& error) override;
  Status RequeueJob(int64_t id, const std::string& owner, std::chrono::milliseconds delay,
                    const std::optional<std::string>& error, bool count_attempt) override;
  Result<std::vector<Job>> ListUnfinishedJobs() override;
  Result<std::vector<Job>> ListJobsForWorkspace(const std::string& workspace_id) override;
  Result<int> PruneFinishedJobs(std::chrono::milliseconds age) override;

  // Applied schema version (for tests and `rockpool doctor`).
  Result<int> AppliedSchemaVersion();

 private:
  // The connection for one call: the writer (locked), or for a read outside this thread's
  // transaction a pooled reader.
  class ConnRef {
   public:
    ConnRef(SqliteStore& store, bool read);
    ~ConnRef();
    ConnRef(const ConnRef&) = delete;
    ConnRef& operator=(const ConnRef&) = delete;
    sqlite::Connection* operator->() const { return conn_; }

   private:
    SqliteStore& store_;
    std::unique_lock<std::recursive_mutex> lock_;
    std::unique_ptr<sqlite::Connection> reader_;
    sqlite::Connection* conn_ = nullptr;
  };

  SqliteStore(std::unique_ptr<sqlite::Connection> conn, Clock& clock, std::string path,
              SqliteStoreOptions options)
      : conn_(std::move(conn)), clock_(clock), path_(std::move(path)), options_(options) {}
  static Result<std::unique_ptr<sqlite::Connection>> Connect(const std::string& path,
                                                             const SqliteStoreOptions& options);
  ConnRef Writer() { return ConnRef(*this, false); }
  ConnRef Reader() { return ConnRef(*this, true); }
  // A reader from the pool, or a new one; null if none can be opened.
  std::unique_ptr<sqlite::Connection> TakeReader();
  void ReturnReader(std::unique_ptr<sqlite::Connection> reader);

  Status Migrate();
  Result<std::vector<Workspace>> QueryWorkspaces(sqlite::Statement& stmt, std::string_view what);
  Result<std::vector<Port>> QueryPorts(sqlite::Statement& stmt, std::string_view what);
  // Runs a port UPDATE or DELETE bound to (workspace_id, port) as ?1, ?2; NotFound naming
  // `missing` when it changed no row.
  Status ChangePort(const char* sql, const std::string& workspace_id, int port,
                    std::string_view what, std::string_view missing);
  Result<std::vector<Job>> QueryJobs(sqlite::Statement& stmt, std::string_view what);
  Result<Workspace> GetWorkspaceWhere(const char* column, const std::string& value);
  // Checks that `owner` holds job `id` after an UPDATE ... WHERE lease_owner = owner.
  Status CheckLeaseHeld(sqlite::Statement& stmt, int64_t id, const std::string& owner,
                        std::string_view what);

  std::recursive_mutex mu_;  // guards conn_ and in_transaction_; held for a whole transaction
  std::unique_ptr<sqlite::Connection> conn_;
  Clock& clock_;
  const std::string path_;
  const SqliteStoreOptions options_;
  bool in_transaction_ = false;
  std::atomic<std::thread::id> txn_owner_{};  // the thread inside Transaction, if any

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<sqlite::Connection>> readers_;  // guarded by pool_mu_
};

}  // namespace rockpool
