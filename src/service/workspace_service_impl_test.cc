#include "service/workspace_service_impl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <future>

#include "core/names.h"
#include "runtime/fake/fake_runtime.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"
#include "store/uuid.h"

namespace rockpool {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A FakeRuntime that runs `on_add_port` inside AddPort, before doing its work.
class HookedRuntime : public FakeRuntime {
 public:
  Status AddPort(const std::string& name, int port) override {
    if (on_add_port) on_add_port();
    return FakeRuntime::AddPort(name, port);
  }
  std::function<void()> on_add_port;
};

class WorkspaceServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open(dir_.File("rockpool.db"), clock_)).value();
    queue_ = std::make_unique<JobQueue>(store_->jobs());
    service_ = std::make_unique<WorkspaceServiceImpl>(*store_, *queue_, runtime_);
  }

  // A workspace put straight into the store in `status` (and its instance in the runtime),
  // with no job.
  Workspace Seed(const std::string& name, WorkspaceStatus status) {
    runtime_.PutInstance(name, {"rockpool-workspace", status == WorkspaceStatus::kRunning});
    return *store_->workspaces().Insert(
        {NewUuidV4(), name, status, "rockpool-workspace", std::nullopt, "", ""});
  }
  std::vector<JobKind> JobKinds(const std::string& id) {
    std::vector<JobKind> kinds;
    auto jobs = store_->jobs().ListForWorkspace(id);
    for (const Job& j : *jobs) kinds.push_back(j.kind);
    return kinds;
  }

  TempDir dir_;
  FakeClock clock_;
  HookedRuntime runtime_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<WorkspaceServiceImpl> service_;
};

TEST_F(WorkspaceServiceTest, CreateStoresCreatingWorkspaceAndQueuesCreateJob) {
  auto ws = service_->Create({"test", ""});
  ASSERT_TRUE(ws.ok()) << ws.status().ToString();
  EXPECT_TRUE(LooksLikeUuid(ws->id));
  EXPECT_EQ(ws->status, WorkspaceStatus::kCreating);
  EXPECT_EQ(ws->image, "rockpool-workspace");
  EXPECT_THAT(JobKinds(ws->id), ElementsAre(JobKind::kCreate));
  EXPECT_TRUE(runtime_.calls().empty());  // the worker does the work
}

TEST_F(WorkspaceServiceTest, CreateKeepsRequestedImage) {
  EXPECT_EQ(service_->Create({"test", "my-image"})->image, "my-image");
  EXPECT_EQ(service_->Create({"other", "bad image"}).status().code(), Code::kInvalidArgument);
}

TEST_F(WorkspaceServiceTest, CreateFillsLimitsLeftOutFromTheDeploymentsDefaults) {
  WorkspaceServiceOptions options;
  options.limits.defaults = {0.5, 1024, 256, 4};
  WorkspaceServiceImpl service(*store_, *queue_, runtime_, options);
  auto ws = service.Create({"test", "", {.cpus = 1.25, .disk_gib = 9}});
  ASSERT_TRUE(ws.ok()) << ws.status().ToString();
  EXPECT_EQ(ws->limits, (WorkspaceLimits{1.25, 1024, 256, 9}));
  EXPECT_EQ(store_->workspaces().Get(ws->id)->limits, ws->limits);
  EXPECT_EQ(service.Create({"plain", ""})->limits, options.limits.defaults);
}

TEST_F(WorkspaceServiceTest, CreateAboveTheMaximumIsOutOfRangeAndStoresNothing) {
  auto ws = service_->Create({"test", "", {.memory_mib = kDefaultMaxLimits.memory_mib + 1}});
  EXPECT_EQ(ws.status().code(), Code::kOutOfRange);
  EXPECT_THAT(ws.status().message(), HasSubstr("limits.memoryMib"));
  EXPECT_THAT(ws.status().message(), HasSubstr("8192"));
  EXPECT_EQ(store_->workspaces().GetByName("test").status().code(), Code::kNotFound);
  EXPECT_TRUE(store_->jobs().ListUnfinished()->empty());
  EXPECT_EQ(service_->Create({"test", "", {.processes = 0}}).status().code(),
            Code::kInvalidArgument);
}

TEST_F(WorkspaceServiceTest, CreateRejectsInvalidNameWithoutTouchingStore) {
  auto ws = service_->Create({"Bad_Name", ""});
  EXPECT_EQ(ws.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(store_->workspaces().ListAll()->empty());
}

TEST_F(WorkspaceServiceTest, CreateWithMissingImageIsInvalidArgumentAndStoresNothing) {
  runtime_.FailOn("CheckImage", "gone", Status::NotFound("image \"gone\" does not exist"));
  auto ws = service_->Create({"test", "gone"});
  EXPECT_EQ(ws.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ws.status().message(), "image \"gone\" does not exist");
  EXPECT_TRUE(store_->workspaces().ListAll()->empty());
  EXPECT_TRUE(store_->jobs().ListUnfinished()->empty());
}

TEST_F(WorkspaceServiceTest, CreateWhileTheEngineIsDownIsUnavailable) {
  runtime_.FailOn("CheckImage", "", Status::Unavailable("engine down"));
  EXPECT_EQ(service_->Create({"test", ""}).status().code(), Code::kUnavailable);
  EXPECT_TRUE(store_->workspaces().ListAll()->empty());
}

TEST_F(WorkspaceServiceTest, CreateWithTakenNameIsAlreadyExistsAndQueuesNothing) {
  ASSERT_TRUE(service_->Create({"test", ""}).ok());
  auto dup = service_->Create({"test", ""});
  EXPECT_EQ(dup.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(store_->jobs().ListUnfinished()->size(), 1u);
}

TEST_F(WorkspaceServiceTest, GetFindsByIdOrName) {
  Workspace ws = *service_->Create({"test", ""});
  EXPECT_EQ(service_->Get(ws.id)->name, "test");
  EXPECT_EQ(service_->Get("test")->id, ws.id);
  auto missing = service_->Get("nope");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "workspace \"nope\" not found");
  EXPECT_EQ(service_->Get(NewUuidV4()).status().code(), Code::kNotFound);
}

struct TransitionCase {
  WorkspaceStatus from;
  bool start_ok, stop_ok, delete_ok;
};

TEST_F(WorkspaceServiceTest, LifecycleRequestsFollowTheStateMachine) {
  const TransitionCase cases[] = {
      {WorkspaceStatus::kCreating, false, false, false},
      {WorkspaceStatus::kRunning, false, true, false},
      {WorkspaceStatus::kStopping, false, false, false},
      {WorkspaceStatus::kStopped, true, false, true},
      {WorkspaceStatus::kStarting, false, false, false},
      {WorkspaceStatus::kError, true, true, true},
  };
  int n = 0;
  for (const auto& c : cases) {
    const std::string from(StatusName(c.from));
    auto check = [&](auto call, bool ok, const char* what) {
      Workspace ws = Seed("ws-" + std::to_string(n++), c.from);
      auto got = (service_.get()->*call)(ws.name);
      EXPECT_EQ(got.ok(), ok) << what << " from " << from << ": " << got.status().ToString();
      if (!ok) {
        EXPECT_EQ(got.status().code(), Code::kConflict) << what << " from " << from;
      }
      EXPECT_EQ(JobKinds(ws.id).size(), ok ? 1u : 0u) << what << " from " << from;
    };
    check(&WorkspaceServiceImpl::Start, c.start_ok, "start");
    check(&WorkspaceServiceImpl::Stop, c.stop_ok, "stop");
    check(&WorkspaceServiceImpl::Delete, c.delete_ok, "delete");
  }
}

TEST_F(WorkspaceServiceTest, StopMovesRunningWorkspaceToStoppingWithStopJob) {
  Workspace ws = Seed("test", WorkspaceStatus::kRunning);
  auto stopped = service_->Stop("test");
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped->status, WorkspaceStatus::kStopping);
  EXPECT_THAT(JobKinds(ws.id), ElementsAre(JobKind::kStop));
}

TEST_F(WorkspaceServiceTest, StartClearsTheErrorReason) {
  Workspace ws = Seed("test", WorkspaceStatus::kStopped);
  ASSERT_TRUE(store_->workspaces().UpdateStatus(ws.id, WorkspaceStatus::kError, "boom").ok());
  auto started = service_->Start(ws.id);
  EXPECT_EQ(started->status, WorkspaceStatus::kStarting);
  EXPECT_FALSE(started->status_reason);
}

TEST_F(WorkspaceServiceTest, SecondLifecycleRequestWhileJobQueuedIsConflict) {
  Seed("test", WorkspaceStatus::kError);
  ASSERT_TRUE(service_->Stop("test").ok());
  // stopping now; a start is refused by the state machine anyway, but error->start while a
  // job is queued must be refused too:
  Workspace other = Seed("other", WorkspaceStatus::kError);
  ASSERT_TRUE(queue_->Enqueue(other.id, JobKind::kStop).ok());
  auto st = service_->Start("other");
  EXPECT_EQ(st.status().code(), Code::kConflict);
  EXPECT_THAT(st.status().message(), HasSubstr("stop job in progress"));
}

TEST_F(WorkspaceServiceTest, RepeatedDeleteAnswersTheSameWorkspaceWithoutSecondJob) {
  Workspace ws = Seed("test", WorkspaceStatus::kStopped);
  auto first = service_->Delete("test");
  auto second = service_->Delete(ws.id);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->id, second->id);
  EXPECT_THAT(JobKinds(ws.id), ElementsAre(JobKind::kDelete));
  EXPECT_TRUE(store_->workspaces().Get(ws.id).ok());  // the row stays until the job removes it
}

TEST_F(WorkspaceServiceTest, StartWhileDeleteIsQueuedIsConflict) {
  Seed("test", WorkspaceStatus::kError);
  ASSERT_TRUE(service_->Delete("test").ok());
  auto st = service_->Start("test");
  EXPECT_EQ(st.status().code(), Code::kConflict);
  EXPECT_EQ(st.status().message(), "workspace \"test\" is being deleted");
}

TEST_F(WorkspaceServiceTest, SaysAJobWasQueuedOnlyAfterItsTransactionCommitted) {
  int queued = 0;
  WorkspaceServiceOptions options;
  options.on_job_queued = [&] {
    ++queued;
    // Committed: a worker woken now finds the job.
    EXPECT_FALSE(store_->jobs().ListUnfinished()->empty());
  };
  WorkspaceServiceImpl service(*store_, *queue_, runtime_, options);
  ASSERT_TRUE(service.Create({"test", ""}).ok());
  EXPECT_EQ(queued, 1);
  EXPECT_FALSE(service.Create({"test", ""}).ok());                    // name taken: nothing queued
  EXPECT_FALSE(service.Create({"Bad!", ""}).ok());                    // invalid: nothing queued
  EXPECT_EQ(service.Start("test").status().code(), Code::kConflict);  // create pending
  EXPECT_EQ(queued, 1);

  Seed("stopped", WorkspaceStatus::kStopped);
  Seed("running", WorkspaceStatus::kRunning);
  ASSERT_TRUE(service.Start("stopped").ok());
  ASSERT_TRUE(service.Stop("running").ok());
  Seed("gone", WorkspaceStatus::kStopped);
  ASSERT_TRUE(service.Delete("gone").ok());
  EXPECT_EQ(queued, 4);
}

TEST_F(WorkspaceServiceTest, AddPortStoresRowAndAddsRuntimeSocket) {
  Workspace ws = Seed("test", WorkspaceStatus::kRunning);
  auto port = service_->AddPort("test", 3000, "web");
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  EXPECT_EQ(port->workspace_id, ws.id);
  EXPECT_EQ(port->label, "web");
  EXPECT_THAT(runtime_.calls(), ElementsAre("AddPort test 3000"));
  EXPECT_EQ(service_->ListPorts("test")->size(), 1u);
}

TEST_F(WorkspaceServiceTest, AddPortValidatesPortLabelAndState) {
  Seed("test", WorkspaceStatus::kRunning);
  Seed("off", WorkspaceStatus::kStopped);
  EXPECT_EQ(service_->AddPort("test", 80, {}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(service_->AddPort("test", 65536, {}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(service_->AddPort("test", 3000, std::string(65, 'x')).status().code(),
            Code::kInvalidArgument);
  EXPECT_TRUE(service_->AddPort("test", 3001, std::string(64, 'x')).ok());
  EXPECT_EQ(service_->AddPort("off", 3000, {}).status().code(), Code::kConflict);
  EXPECT_EQ(service_->AddPort("nope", 3000, {}).status().code(), Code::kNotFound);
}

TEST_F(WorkspaceServiceTest, DuplicatePortIsAlreadyExists) {
  Seed("test", WorkspaceStatus::kRunning);
  ASSERT_TRUE(service_->AddPort("test", 3000, {}).ok());
  EXPECT_EQ(service_->AddPort("test", 3000, {}).status().code(), Code::kAlreadyExists);
}

TEST_F(WorkspaceServiceTest, SixthPortIsConflictNamingTheLimit) {
  Seed("test", WorkspaceStatus::kRunning);
  for (int p = 3000; p < 3005; ++p) ASSERT_TRUE(service_->AddPort("test", p, {}).ok());
  auto sixth = service_->AddPort("test", 3005, {});
  EXPECT_EQ(sixth.status().code(), Code::kConflict);
  EXPECT_EQ(sixth.status().message(),
            "workspace \"test\" already has 5 forwarded ports (the maximum); remove one first");
}

TEST_F(WorkspaceServiceTest, RuntimeFailureOnAddPortLeavesNoRowNorSocket) {
  Workspace ws = Seed("test", WorkspaceStatus::kRunning);
  runtime_.FailOn("AddPort", "test", Status::Unavailable("incus: add device: 500 boom"));
  auto port = service_->AddPort("test", 3000, {});
  EXPECT_EQ(port.status().code(), Code::kUnavailable);
  EXPECT_EQ(port.status().message(),
            "forward port 3000 of workspace \"test\": the container engine cannot be reached; "
            "try again later");
  EXPECT_TRUE(store_->ports().List(ws.id)->empty());
  EXPECT_THAT(runtime_.calls(), ElementsAre("AddPort test 3000", "RemovePort test 3000"));
}

// An engine's 404 or 409 is the engine's failure: the client must not read it as "your
// workspace does not exist" or "your port exists".
TEST_F(WorkspaceServiceTest, EngineNotFoundOrAlreadyExistsOnAddPortIsInternalNamingTheEngine) {
  Seed("test", WorkspaceStatus::kRunning);
  for (const Status& engine : {Status::NotFound("incus: instance rp-test: 404 not found"),
                               Status::AlreadyExists("incus: device port-3000: 409 exists"),
                               Status::InvalidArgument("incus: patch: 400 bad device")}) {
    runtime_.FailOn("AddPort", "test", engine, 1);
    auto port = service_->AddPort("test", 3000, {});
    EXPECT_EQ(port.status().code(), Code::kInternal) << engine.message();
    EXPECT_EQ(port.status().message(),
              "forward port 3000 of workspace \"test\": the container engine failed (its answer "
              "is in the control plane's log)");
    EXPECT_TRUE(service_->ListPorts("test")->empty());
  }
  EXPECT_TRUE(service_->AddPort("test", 3000, {}).ok());  // nothing was left in the way
}

TEST_F(WorkspaceServiceTest, EngineNotFoundOrAlreadyExistsOnCreateOrRemovePortIsNotTheClients) {
  Seed("test", WorkspaceStatus::kRunning);
  ASSERT_TRUE(service_->AddPort("test", 3000, {}).ok());
  runtime_.FailOn("RemovePort", "test", Status::AlreadyExists("incus: put: 409 busy"), 1);
  EXPECT_EQ(service_->RemovePort("test", 3000).code(), Code::kInternal);
  EXPECT_EQ(service_->ListPorts("test")->size(), 1u);  // kept, so the removal can be retried
  // The socket is already gone (a crash after removing it): the row goes too.
  runtime_.FailOn("RemovePort", "test", Status::NotFound("incus: device port-3000 not found"), 1);
  EXPECT_TRUE(service_->RemovePort("test", 3000).ok());
  EXPECT_TRUE(service_->ListPorts("test")->empty());

  runtime_.FailOn("CheckImage", "", Status::AlreadyExists("incus: images: 409 locked"), 1);
  EXPECT_EQ(service_->Create({"fresh", ""}).status().code(), Code::kInternal);
  EXPECT_EQ(store_->workspaces().GetByName("fresh").status().code(), Code::kNotFound);
}

TEST_F(WorkspaceServiceTest, AddPortCallsTheRuntimeOutsideAnyTransactionWithARowNotYetListed) {
  Workspace ws = Seed("test", WorkspaceStatus::kRunning);
  bool writable = false;
  std::vector<Port> stored, listed;
  runtime_.on_add_port = [&] {
    // Another thread's write finishes only if no transaction holds the writer.
    auto write = std::async(std::launch::async, [&] {
      return store_->workspaces().UpdateStatus(ws.id, WorkspaceStatus::kRunning, std::nullopt);
    });
    writable = write.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    stored = *store_->ports().List(ws.id);
    listed = *service_->ListPorts("test");
  };
  auto port = service_->AddPort("test", 3000, "web");
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  EXPECT_TRUE(writable);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored.front().state, PortState::kPending);
  EXPECT_TRUE(listed.empty());  // the API never shows a pending port
  EXPECT_EQ(port->state, PortState::kActive);
  EXPECT_EQ(store_->ports().List(ws.id)->front().state, PortState::kActive);
  EXPECT_EQ(service_->ListPorts("test")->size(), 1u);
}

TEST_F(WorkspaceServiceTest, PendingPortHoldsItsNumberAndCountsTowardsTheLimit) {
  Workspace ws = Seed("test", WorkspaceStatus::kRunning);
  ASSERT_TRUE(store_->ports().Insert({ws.id, 3000, std::nullopt, "", PortState::kPending}).ok());
  auto again = service_->AddPort("test", 3000, {});
  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_THAT(again.status().message(), HasSubstr("is being forwarded by another request"));
  EXPECT_EQ(service_->RemovePort("test", 3000).code(), Code::kConflict);
  for (int p = 3001; p < 3005; ++p) ASSERT_TRUE(service_->AddPort("test", p, {}).ok());
  EXPECT_EQ(service_->AddPort("test", 3005, {}).status().code(), Code::kConflict);
}

TEST_F(WorkspaceServiceTest, PortWhoseRowWentDuringTheRuntimeCallIsUndone) {
  Workspace ws = Seed("test", WorkspaceStatus::kRunning);
  // A stop job removes the workspace's ports while the runtime is adding the socket.
  runtime_.on_add_port = [&] { ASSERT_TRUE(store_->ports().Delete(ws.id, 3000).ok()); };
  auto port = service_->AddPort("test", 3000, {});
  EXPECT_EQ(port.status().code(), Code::kConflict);
  EXPECT_THAT(port.status().message(), HasSubstr("the workspace changed"));
  EXPECT_TRUE(runtime_.instance("test")->ports.empty());  // no socket outlives its row
  EXPECT_TRUE(store_->ports().List(ws.id)->empty());
}

TEST_F(WorkspaceServiceTest, FailedUndoOfAPortLeavesItPendingForTheReconciler) {
  Workspace ws = Seed("test", WorkspaceStatus::kRunning);
  runtime_.FailOn("AddPort", "test", Status::DeadlineExceeded("incus: patch: timed out"), 1);
  runtime_.FailOn("RemovePort", "test", Status::Unavailable("incus: engine down"), 1);
  EXPECT_EQ(service_->AddPort("test", 3000, {}).status().code(), Code::kDeadlineExceeded);
  auto stored = store_->ports().List(ws.id);
  ASSERT_EQ(stored->size(), 1u);  // the socket may exist: the row says so, pending
  EXPECT_EQ(stored->front().state, PortState::kPending);
  EXPECT_TRUE(service_->ListPorts("test")->empty());
}

TEST_F(WorkspaceServiceTest, RemovePortDeletesRowAndRuntimeSocket) {
  Seed("test", WorkspaceStatus::kRunning);
  ASSERT_TRUE(service_->AddPort("test", 3000, {}).ok());
  ASSERT_TRUE(service_->RemovePort("test", 3000).ok());
  EXPECT_TRUE(service_->ListPorts("test")->empty());
  EXPECT_THAT(runtime_.calls(), ElementsAre("AddPort test 3000", "RemovePort test 3000"));
  EXPECT_EQ(service_->RemovePort("test", 3000).code(), Code::kNotFound);
}

TEST_F(WorkspaceServiceTest, RuntimeFailureOnRemovePortKeepsRow) {
  Seed("test", WorkspaceStatus::kRunning);
  ASSERT_TRUE(service_->AddPort("test", 3000, {}).ok());
  runtime_.FailOn("RemovePort", "", Status::Unavailable("engine down"));
  EXPECT_EQ(service_->RemovePort("test", 3000).code(), Code::kUnavailable);
  EXPECT_EQ(service_->ListPorts("test")->size(), 1u);
}

TEST_F(WorkspaceServiceTest, ListValidatesLimitAndPaginates) {
  EXPECT_EQ(service_->List(0, {}, std::nullopt).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(service_->List(101, {}, std::nullopt).status().code(), Code::kInvalidArgument);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(service_->Create({"ws-" + std::to_string(i), ""}).ok());
  auto page = service_->List(2, {}, std::nullopt);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_EQ(service_->List(2, page->next_cursor, std::nullopt)->items.size(), 1u);
  EXPECT_EQ(service_->List(2, "bogus", std::nullopt).status().code(), Code::kInvalidArgument);
}

TEST_F(WorkspaceServiceTest, CountByStatusReportsEveryStatus) {
  Seed("a-1", WorkspaceStatus::kRunning);
  auto counts = service_->CountByStatus();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->size(), 6u);
  EXPECT_EQ(counts->at(WorkspaceStatus::kRunning), 1);
  EXPECT_EQ(counts->at(WorkspaceStatus::kStopped), 0);
}

}  // namespace
}  // namespace rockpool

namespace rockpool {
namespace {

TEST_F(WorkspaceServiceTest, CreateTakesTheDeploymentsIdleTimeoutUnlessItAsksForOne) {
  EXPECT_EQ(service_->Create({"plain", ""})->idle_timeout_seconds, 1800);
  CreateWorkspaceRequest asked{"asked", ""};
  asked.idle_timeout_seconds = 2700;
  EXPECT_EQ(service_->Create(asked)->idle_timeout_seconds, 2700);
  EXPECT_EQ(service_->Get("asked")->idle_timeout_seconds, 2700);
  asked = {"never", ""};
  asked.idle_timeout_seconds = 0;
  EXPECT_EQ(service_->Create(asked)->idle_timeout_seconds, 0);
}

TEST_F(WorkspaceServiceTest, IdleTimeoutOutsideItsRangeIsInvalidArgumentAndStoresNothing) {
  CreateWorkspaceRequest req{"toolong", ""};
  req.idle_timeout_seconds = kMaxIdleTimeoutSeconds + 1;
  auto ws = service_->Create(req);
  EXPECT_EQ(ws.status().code(), Code::kInvalidArgument);
  EXPECT_NE(ws.status().message().find("30 days"), std::string::npos) << ws.status().message();
  EXPECT_EQ(service_->Get("toolong").status().code(), Code::kNotFound);
  ASSERT_TRUE(service_->Create({"kept", ""}).ok());
  EXPECT_EQ(service_->SetIdleTimeout("kept", -1).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(service_->Get("kept")->idle_timeout_seconds, 1800);
}

TEST_F(WorkspaceServiceTest, SetIdleTimeoutChangesItInAnyStateAndNulloptRestoresTheDefault) {
  ASSERT_TRUE(service_->Create({"later", ""}).ok());
  auto set = service_->SetIdleTimeout("later", 600);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->idle_timeout_seconds, 600);
  EXPECT_EQ(service_->Get("later")->idle_timeout_seconds, 600);
  EXPECT_EQ(service_->SetIdleTimeout("later", std::nullopt)->idle_timeout_seconds, 1800);
  EXPECT_EQ(service_->SetIdleTimeout("nope", 60).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace rockpool
