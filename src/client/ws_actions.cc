#include "client/ws_actions.h"

#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "client/table.h"
#include "core/duration.h"

namespace rockpool::client {
namespace {

// Where a browser opens workspace `name`'s IDE (forwarded_port 0) or one of its forwarded
// ports: its own origin in port mode, else its path on the workspace port. Should the control
// plane not say, the path: in port mode it is the entry point that leads to the origin.
std::string OpenUrl(WsIo& io, const std::string& name, int forwarded_port = 0) {
  if (auto origin = io.api->OriginPort(name, forwarded_port); origin.ok() && *origin > 0) {
    return io.config.HostUrl(*origin) + "/";
  }
  const std::string path = io.config.WorkspaceUrl(name);
  return forwarded_port == 0 ? path : path + "port/" + std::to_string(forwarded_port) + "/";
}

using nlohmann::json;

void PrintJson(WsIo& io, const json& j) { *io.out << j.dump(2) << "\n"; }

void Progress(WsIo& io, const std::string& name, std::string_view status, long seconds,
              bool changed) {
  if (io.progress_tty) {
    *io.err << "\r" << name << ": " << status << " (" << seconds << "s)   " << std::flush;
  } else if (changed) {
    *io.err << name << ": " << status << "\n";
  }
}

// Polls until the workspace reaches `target` (nullopt: until it is gone), fails on `error`.
Result<std::optional<Workspace>> WaitFor(WsIo& io, const std::string& name,
                                         std::optional<WorkspaceStatus> target,
                                         const WaitOptions& opts) {
  const auto start = io.now();
  std::string last;
  for (;;) {
    auto ws = io.api->Get(name);
    if (!target && !ws.ok() && ws.status().code() == Code::kNotFound) {
      if (io.progress_tty) *io.err << "\n";
      return std::optional<Workspace>();
    }
    if (!ws.ok()) return ws.status();
    const std::string_view status = StatusName(ws->status);
    const long secs = std::chrono::duration_cast<std::chrono::seconds>(io.now() - start).count();
    Progress(io, name, status, secs, status != last);
    last = std::string(status);
    if (target && ws->status == *target) {
      if (io.progress_tty) *io.err << "\n";
      return std::optional<Workspace>(*ws);
    }
    if (ws->status == WorkspaceStatus::kError) {
      if (io.progress_tty) *io.err << "\n";
      return Status::Internal("workspace \"" + name +
                              "\" failed: " + ws->status_reason.value_or("no reason given") +
                              "; see `rockpool ws show " + name + "`");
    }
    if (io.now() - start >= opts.timeout) {
      if (io.progress_tty) *io.err << "\n";
      return Status::DeadlineExceeded("workspace \"" + name + "\" is still " + std::string(status) +
                                      " after " + std::to_string(opts.timeout.count()) +
                                      "s; check again with `rockpool ws show " + name + "`");
    }
    io.sleep(opts.poll_interval);
  }
}

// Prints the workspace after an asynchronous request, waiting first unless told not to.
Status Finish(WsIo& io, const Workspace& accepted, std::optional<WorkspaceStatus> target,
              const WaitOptions& opts, std::string_view done) {
  std::optional<Workspace> final_state = accepted;
  if (opts.wait) {
    RP_ASSIGN_OR_RETURN(final_state, WaitFor(io, accepted.name, target, opts));
  }
  const Workspace& ws = final_state.value_or(accepted);
  if (io.json) {
    PrintJson(io, api::WorkspaceToJson(ws));
  } else if (!opts.wait) {
    *io.out << "workspace " << ws.name << " is " << StatusName(ws.status) << "\n";
  } else {
    *io.out << "workspace " << ws.name << " " << done;
    if (target == WorkspaceStatus::kRunning) *io.out << ": " << OpenUrl(io, ws.name);
    *io.out << "\n";
  }
  return Status::Ok();
}

}  // namespace

Status WsList(WsIo& io, const std::optional<std::string>& owner) {
  RP_ASSIGN_OR_RETURN(auto all, io.api->ListAll(owner));
  if (io.json) {
    json items = json::array();
    for (const auto& ws : all) items.push_back(api::WorkspaceToJson(ws));
    PrintJson(io, items);
  } else if (all.empty() && owner) {
    *io.out << "no workspaces of " << *owner << "\n";
  } else if (all.empty()) {
    *io.out << "no workspaces; create one with `rockpool ws create <name>`\n";
  } else {
    *io.out << FormatWorkspaces(all);
  }
  return Status::Ok();
}

Status WsShow(WsIo& io, const std::string& name) {
  RP_ASSIGN_OR_RETURN(auto ws, io.api->Get(name));
  if (io.json) {
    PrintJson(io, api::WorkspaceToJson(ws));
  } else {
    *io.out << FormatWorkspace(ws, OpenUrl(io, ws.name));
  }
  return Status::Ok();
}

// One line on the repository of `ws`: cloned, or why not and how to retry.
std::string CloneOutcome(const Workspace& ws) {
  const WorkspaceSource& s = *ws.source;
  switch (s.status) {
    case SourceStatus::kCloned:
      return "repository " + s.url + " cloned into the IDE folder\n";
    case SourceStatus::kPending:
      return "repository " + s.url + ": clone in progress\n";
    case SourceStatus::kFailed:
      break;
  }
  return "repository " + s.url + " not cloned (" +
         std::string(CloneErrorName(s.error_kind.value_or(CloneError::kOther))) +
         "): " + s.error.value_or("") + "\nfix the cause, then retry with: rockpool ws clone " +
         ws.name + "\n";
}

Status WsCreate(WsIo& io, const std::string& name, const std::string& image,
                const LimitsRequest& limits, WaitOptions wait,
                std::optional<int64_t> idle_timeout_seconds,
                const std::optional<SourceRequest>& repository) {
  RP_ASSIGN_OR_RETURN(auto ws,
                      io.api->Create(name, image, limits, idle_timeout_seconds, repository));
  RP_RETURN_IF_ERROR(Finish(io, ws, WorkspaceStatus::kRunning, wait, "is running"));
  if (wait.wait && repository && !io.json) {
    RP_ASSIGN_OR_RETURN(auto now, io.api->Get(name));
    if (now.source)
      *(now.source->status == SourceStatus::kFailed ? io.err : io.out) << CloneOutcome(now);
  }
  return Status::Ok();
}

Status WsClone(WsIo& io, const std::string& name, WaitOptions wait) {
  RP_ASSIGN_OR_RETURN(auto ws, io.api->RetryClone(name));
  const auto deadline = io.now() + wait.timeout;
  while (wait.wait && ws.source && ws.source->status == SourceStatus::kPending) {
    if (io.now() >= deadline) {
      return Status::DeadlineExceeded(
          "the clone of workspace \"" + name + "\" did not finish within " +
          std::to_string(wait.timeout.count()) + " s; see `rockpool ws show " + name + "`");
    }
    io.sleep(wait.poll_interval);
    RP_ASSIGN_OR_RETURN(ws, io.api->Get(name));
  }
  if (io.json) {
    PrintJson(io, api::WorkspaceToJson(ws));
  } else if (ws.source) {
    *io.out << CloneOutcome(ws);
  }
  if (ws.source && ws.source->status == SourceStatus::kFailed) {
    return Status::Unavailable("the clone of workspace \"" + name + "\" failed again");
  }
  return Status::Ok();
}

Status WsSetIdleTimeout(WsIo& io, const std::string& name, std::optional<int64_t> seconds) {
  RP_ASSIGN_OR_RETURN(auto ws, io.api->SetIdleTimeout(name, seconds));
  if (io.json) {
    PrintJson(io, api::WorkspaceToJson(ws));
  } else if (ws.idle_timeout_seconds == 0) {
    *io.out << "workspace " << ws.name << " is never stopped for being idle\n";
  } else {
    *io.out << "workspace " << ws.name << " stops after "
            << FormatDurationSeconds(ws.idle_timeout_seconds) << " without activity"
            << (seconds ? "" : " (the server's default)") << "\n";
  }
  return Status::Ok();
}

Status WsStart(WsIo& io, const std::string& name, WaitOptions wait) {
  RP_ASSIGN_OR_RETURN(auto ws, io.api->Start(name));
  return Finish(io, ws, WorkspaceStatus::kRunning, wait, "is running");
}

Status WsStop(WsIo& io, const std::string& name, WaitOptions wait) {
  RP_ASSIGN_OR_RETURN(auto ws, io.api->Stop(name));
  return Finish(io, ws, WorkspaceStatus::kStopped, wait, "is stopped");
}

Status WsRemove(WsIo& io, const std::string& name, WaitOptions wait) {
  RP_ASSIGN_OR_RETURN(auto ws, io.api->Delete(name));
  if (!wait.wait) {
    if (io.json) {
      PrintJson(io, api::WorkspaceToJson(ws));
    } else {
      *io.out << "workspace " << ws.name << " is being deleted\n";
    }
    return Status::Ok();
  }
  return Finish(io, ws, std::nullopt, wait, "is deleted");
}

Status WsOpen(WsIo& io, const std::string& name, bool browser) {
  RP_ASSIGN_OR_RETURN(auto ws, io.api->Get(name));
  const std::string url = OpenUrl(io, ws.name);
  if (io.json) {
    PrintJson(io, {{"url", url}, {"status", std::string(StatusName(ws.status))}});
  } else {
    *io.out << url << "\n";
  }
  if (ws.status != WorkspaceStatus::kRunning) {
    *io.err << "note: workspace " << ws.name << " is " << StatusName(ws.status)
            << "; start it with `rockpool ws start " << ws.name << "`\n";
  }
  if (browser && io.open_browser) return io.open_browser(url);
  return Status::Ok();
}

Status WsPortList(WsIo& io, const std::string& name) {
  RP_ASSIGN_OR_RETURN(auto ports, io.api->ListPorts(name));
  if (io.json) {
    json items = json::array();
    for (const auto& p : ports) items.push_back(api::PortToJson(p));
    PrintJson(io, {{"items", items}});
  } else if (ports.empty()) {
    *io.out << "no ports forwarded; add one with `rockpool ws port add " << name << " <port>`\n";
  } else {
    *io.out << FormatPorts(ports, [&](int port) { return OpenUrl(io, name, port); });
  }
  return Status::Ok();
}

Status WsPortAdd(WsIo& io, const std::string& name, int port,
                 const std::optional<std::string>& label) {
  RP_ASSIGN_OR_RETURN(auto p, io.api->AddPort(name, port, label));
  if (io.json) {
    PrintJson(io, api::PortToJson(p));
  } else {
    *io.out << "port " << p.port << " of " << name << " is forwarded: " << OpenUrl(io, name, p.port)
            << "\n";
  }
  return Status::Ok();
}

Status WsPortRemove(WsIo& io, const std::string& name, int port) {
  RP_RETURN_IF_ERROR(io.api->RemovePort(name, port));
  if (!io.json) *io.out << "port " << port << " of " << name << " is no longer forwarded\n";
  return Status::Ok();
}

Status WsSnapshotCreate(WsIo& io, const std::string& name, const std::string& snapshot) {
  RP_ASSIGN_OR_RETURN(auto s, io.api->CreateSnapshot(name, snapshot));
  if (io.json) {
    PrintJson(io, api::SnapshotToJson(s));
  } else {
    *io.out << "snapshot " << s.name << " of " << name << " is made\n";
  }
  return Status::Ok();
}

Status WsSnapshotList(WsIo& io, const std::string& name) {
  RP_ASSIGN_OR_RETURN(auto snapshots, io.api->ListSnapshots(name));
  if (io.json) {
    json items = json::array();
    for (const auto& s : snapshots) items.push_back(api::SnapshotToJson(s));
    PrintJson(io, {{"items", items}});
  } else if (snapshots.empty()) {
    *io.out << "no snapshots; make one with `rockpool ws snapshot create " << name << "`\n";
  } else {
    *io.out << FormatSnapshots(snapshots);
  }
  return Status::Ok();
}

Status WsSnapshotRestore(WsIo& io, const std::string& name, const std::string& snapshot) {
  RP_ASSIGN_OR_RETURN(auto ws, io.api->RestoreSnapshot(name, snapshot));
  if (io.json) {
    PrintJson(io, api::WorkspaceToJson(ws));
  } else {
    *io.out << "workspace " << ws.name << " is being restored to snapshot " << snapshot
            << "; start it with `rockpool ws start " << ws.name << "`\n";
  }
  return Status::Ok();
}

Status WsSnapshotRemove(WsIo& io, const std::string& name, const std::string& snapshot) {
  RP_RETURN_IF_ERROR(io.api->DeleteSnapshot(name, snapshot));
  if (!io.json) *io.out << "snapshot " << snapshot << " of " << name << " is deleted\n";
  return Status::Ok();
}

}  // namespace rockpool::client
