// FakeWorkspaceService: an in-memory WorkspaceService with the real state rules (CheckAction,
// name and port validation, 5 ports, unique names). It records every call ("Start demo") so
// tests assert on what the API asked, and can be told to fail the next call.
#pragma once

#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/names.h"
#include "service/workspace_service.h"

namespace rockpool::api {

class FakeWorkspaceService final : public WorkspaceService {
 public:
  static constexpr const char* kTime = "2026-01-02T03:04:05Z";
  static constexpr int64_t kDefaultIdleTimeoutSeconds = 1800;

  // What Create resolves a request's limits with (the built-in defaults and maximums).
  LimitsPolicy limits_policy;

  // The next call answers `status` instead of doing anything.
  void FailNextCall(Status status) {
    std::lock_guard lock(mu_);
    fail_next_ = std::move(status);
  }
  // Moves a workspace to `status` as a job would; false when it does not exist.
  bool SetStatus(const std::string& ref, WorkspaceStatus status,
                 std::optional<std::string> reason = std::nullopt) {
    std::lock_guard lock(mu_);
    Workspace* ws = Find(ref);
    if (ws == nullptr) return false;
    ws->status = status;
    ws->status_reason = std::move(reason);
    return true;
  }
  // Adds a workspace directly (no call recorded), for large stores in benchmarks.
  Workspace Seed(const std::string& name, WorkspaceStatus status) {
    std::lock_guard lock(mu_);
    workspaces_.push_back(NewWorkspace(name, "rockpool-workspace", status));
    return workspaces_.back();
  }
  std::vector<std::string> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }

  Result<WorkspacePage> List(int limit, const std::optional<std::string>& cursor,
                             const std::optional<std::string>& owner) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("List " + std::to_string(limit) + " " + cursor.value_or("-") +
                             (owner ? " owner=" + *owner : "")));
    size_t start = 0;
    if (cursor) {
      if (std::sscanf(cursor->c_str(), "o%zu", &start) != 1 || start > workspaces_.size()) {
        return Status::InvalidArgument("invalid cursor \"" + *cursor +
                                       "\": pass the nextCursor of a previous page");
      }
    }
    WorkspacePage page;
    size_t i = start;
    for (; i < workspaces_.size() && page.items.size() < size_t(limit); ++i) {
      if (!owner || workspaces_[i].owner == *owner) page.items.push_back(workspaces_[i]);
    }
    if (i < workspaces_.size()) page.next_cursor = "o" + std::to_string(i);
    return page;
  }

  Result<Workspace> Create(const CreateWorkspaceRequest& r) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("Create " + r.name + " " + r.image));
    RP_RETURN_IF_ERROR(ValidateWorkspaceName(r.name));
    if (Find(r.name) != nullptr) {
      return Status::AlreadyExists("workspace \"" + r.name +
                                   "\" already exists; pick another name");
    }
    RP_ASSIGN_OR_RETURN(WorkspaceLimits limits, limits_policy.Resolve(r.limits));
    if (r.repository) RP_RETURN_IF_ERROR(ValidateSourceRequest(*r.repository));
    workspaces_.push_back(NewWorkspace(r.name, r.image.empty() ? "rockpool-workspace" : r.image,
                                       WorkspaceStatus::kCreating));
    workspaces_.back().limits = limits;
    workspaces_.back().owner = r.owner;
    workspaces_.back().idle_timeout_seconds =
        r.idle_timeout_seconds.value_or(kDefaultIdleTimeoutSeconds);
    if (r.repository) {
      WorkspaceSource source;
      source.workspace_id = workspaces_.back().id;
      source.url = r.repository->url;
      source.ref = r.repository->ref;
      source.username = r.repository->username.value_or(kDefaultGitUsername);
      if (r.repository->token) source.sealed_token = "sealed:" + *r.repository->token;
      source.updated_at = workspaces_.back().created_at;
      workspaces_.back().source = source;
    }
    return workspaces_.back();
  }
  Result<Workspace> SetIdleTimeout(const std::string& ref,
                                   std::optional<int64_t> seconds) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("SetIdleTimeout " + ref + " " +
                             (seconds ? std::to_string(*seconds) : std::string("default"))));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    ws->idle_timeout_seconds = seconds.value_or(kDefaultIdleTimeoutSeconds);
    return *ws;
  }

  // Fails the clone of `name` the way a real clone would record it.
  void FailClone(const std::string& name, CloneError kind, const std::string& error) {
    std::lock_guard lock(mu_);
    Workspace* ws = Find(name);
    ws->source->status = SourceStatus::kFailed;
    ws->source->error_kind = kind;
    ws->source->error = error;
  }

  Result<Workspace> RetryClone(const std::string& ref) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("RetryClone " + ref));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    if (!ws->source) return Status::NotFound("workspace has no repository");
    RP_RETURN_IF_ERROR(CheckAction(*ws, Action::kClone));
    if (ws->source->status != SourceStatus::kFailed) {
      return Status::Conflict("only a failed clone is retried");
    }
    ws->source->status = SourceStatus::kPending;
    ws->source->error_kind.reset();
    ws->source->error.reset();
    return *ws;
  }

  Result<Workspace> Get(const std::string& ref) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("Get " + ref));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    return *ws;
  }
  Result<Workspace> Start(const std::string& ref) override {
    return Transition("Start", ref, Action::kStart, WorkspaceStatus::kStarting);
  }
  Result<Workspace> Stop(const std::string& ref) override {
    return Transition("Stop", ref, Action::kStop, WorkspaceStatus::kStopping);
  }
  Result<Workspace> Delete(const std::string& ref) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("Delete " + ref));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    RP_RETURN_IF_ERROR(CheckAction(*ws, Action::kDelete));
    Workspace copy = *ws;
    std::erase_if(ports_, [&](const Port& p) { return p.workspace_id == copy.id; });
    std::erase_if(workspaces_, [&](const Workspace& w) { return w.id == copy.id; });
    return copy;
  }

  Result<std::vector<Port>> ListPorts(const std::string& ref) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("ListPorts " + ref));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    std::vector<Port> out;
    for (const auto& p : ports_) {
      if (p.workspace_id == ws->id) out.push_back(p);
    }
    return out;
  }
  Result<Port> AddPort(const std::string& ref, int port,
                       const std::optional<std::string>& label) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("AddPort " + ref + " " + std::to_string(port)));
    RP_RETURN_IF_ERROR(ValidatePort(port));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    RP_RETURN_IF_ERROR(CheckAction(*ws, Action::kAddPort));
    int count = 0;
    for (const auto& p : ports_) {
      if (p.workspace_id != ws->id) continue;
      if (p.port == port) {
        return Status::AlreadyExists("port " + std::to_string(port) + " of workspace \"" +
                                     ws->name + "\" is forwarded already");
      }
      ++count;
    }
    if (count >= kMaxPortsPerWorkspace) {
      return Status::TooLarge("workspace \"" + ws->name + "\" forwards " + std::to_string(count) +
                              " ports already, the most allowed; remove one first");
    }
    ports_.push_back(Port{ws->id, port, label, kTime});
    return ports_.back();
  }
  Status RemovePort(const std::string& ref, int port) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("RemovePort " + ref + " " + std::to_string(port)));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    const size_t removed = std::erase_if(
        ports_, [&](const Port& p) { return p.workspace_id == ws->id && p.port == port; });
    if (removed == 0) {
      return Status::NotFound("port " + std::to_string(port) + " of workspace \"" + ws->name +
                              "\" is not forwarded");
    }
    return Status::Ok();
  }
  // Snapshots: kept per workspace id; made only while running or stopped, restored only while
  // stopped (the workspace stays stopped), at most 3 per workspace.
  static constexpr size_t kMaxSnapshots = 3;
  Result<std::vector<WorkspaceSnapshot>> ListSnapshots(const std::string& ref) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("ListSnapshots " + ref));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    return snapshots_[ws->id];
  }
  Result<WorkspaceSnapshot> CreateSnapshot(const std::string& ref,
                                           const std::string& name) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("CreateSnapshot " + ref + " " + name));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    if (ws->status != WorkspaceStatus::kRunning && ws->status != WorkspaceStatus::kStopped) {
      return Status::Conflict("cannot snapshot workspace while it is " +
                              std::string(StatusName(ws->status)));
    }
    auto& list = snapshots_[ws->id];
    if (list.size() >= kMaxSnapshots) return Status::Conflict("at the maximum; delete one first");
    const std::string snapshot = name.empty() ? "snap-" + std::to_string(list.size() + 1) : name;
    for (const auto& s : list) {
      if (s.name == snapshot) return Status::AlreadyExists("snapshot exists already");
    }
    list.push_back({snapshot, kTime});
    return list.back();
  }
  Result<Workspace> RestoreSnapshot(const std::string& ref, const std::string& snapshot) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("RestoreSnapshot " + ref + " " + snapshot));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    if (ws->status != WorkspaceStatus::kStopped) return Status::Conflict("stop it first");
    RP_RETURN_IF_ERROR(FindSnapshot(ws->id, snapshot).status());
    return *ws;
  }
  Status DeleteSnapshot(const std::string& ref, const std::string& snapshot) override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("DeleteSnapshot " + ref + " " + snapshot));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    RP_RETURN_IF_ERROR(FindSnapshot(ws->id, snapshot).status());
    std::erase_if(snapshots_[ws->id], [&](const auto& s) { return s.name == snapshot; });
    return Status::Ok();
  }

  Result<std::map<WorkspaceStatus, int>> CountByStatus() override {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin("CountByStatus"));
    std::map<WorkspaceStatus, int> out;
    for (const auto& ws : workspaces_) ++out[ws.status];
    return out;
  }

 private:
  Result<WorkspaceSnapshot> FindSnapshot(const std::string& id, const std::string& snapshot) {
    for (const auto& s : snapshots_[id]) {
      if (s.name == snapshot) return s;
    }
    return Status::NotFound("no snapshot \"" + snapshot + "\"");
  }
  Status Begin(std::string call) {
    calls_.push_back(std::move(call));
    Status s = std::move(fail_next_);
    fail_next_ = Status::Ok();
    return s;
  }
  Workspace* Find(const std::string& ref) {
    for (auto& ws : workspaces_) {
      if (ws.id == ref || ws.name == ref) return &ws;
    }
    return nullptr;
  }
  Result<Workspace*> Lookup(const std::string& ref) {
    Workspace* ws = Find(ref);
    if (ws == nullptr) return WorkspaceNotFound(ref);
    return ws;
  }
  Workspace NewWorkspace(const std::string& name, const std::string& image, WorkspaceStatus st) {
    char id[40];
    std::snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012llu",
                  static_cast<unsigned long long>(++next_id_));
    Workspace ws{id, name, st, image, std::nullopt, kTime, kTime};
    ws.idle_timeout_seconds = kDefaultIdleTimeoutSeconds;
    return ws;
  }
  Result<Workspace> Transition(const char* verb, const std::string& ref, Action action,
                               WorkspaceStatus to) {
    std::lock_guard lock(mu_);
    RP_RETURN_IF_ERROR(Begin(std::string(verb) + " " + ref));
    RP_ASSIGN_OR_RETURN(Workspace * ws, Lookup(ref));
    RP_RETURN_IF_ERROR(CheckAction(*ws, action));
    ws->status = to;
    ws->status_reason.reset();
    return *ws;
  }

  mutable std::mutex mu_;
  Status fail_next_;
  std::vector<Workspace> workspaces_;
  std::vector<Port> ports_;
  std::map<std::string, std::vector<WorkspaceSnapshot>> snapshots_;
  std::vector<std::string> calls_;
  unsigned long long next_id_ = 0;
};

}  // namespace rockpool::api
