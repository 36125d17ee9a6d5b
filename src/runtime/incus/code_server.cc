// code-server inside a workspace: its config file and its health through the host socket.
#include <thread>

#include "runtime/code_server_config.h"
#include "runtime/health.h"
#include "runtime/incus/exec.h"
#include "runtime/incus/files.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/operations.h"

namespace rockpool::incus {

Status IncusRuntime::Configure(const std::string& name, const CodeServerConfig& config) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  std::lock_guard lock(LockFor(instance));
  RP_RETURN_IF_ERROR(SettleStart(instance));
  RP_ASSIGN_OR_RETURN(Instance current, GetInstance(*client_, instance, false));
  return WriteCodeServerConfig(current, config);
}

Status IncusRuntime::WriteCodeServerConfig(const Instance& current,
                                           const CodeServerConfig& config) {
  const std::string& instance = current.name;
  const std::string port = std::to_string(options_.code_server_port);
  // A claimed warm member: code-server runs with these values, and restarting it would cost
  // the person a second.
  if (current.running() && current.Label(kCodeServerBasePathKey) == config.base_path &&
      current.Label(kCodeServerPortKey) == port) {
    return Status::Ok();
  }
  // Kept in the instance's config: an image that renders the file at start reads them there.
  RP_RETURN_IF_ERROR(PatchInstance(
      *client_, instance,
      {.config = {{kCodeServerBasePathKey, config.base_path}, {kCodeServerPortKey, port}}}, ""));
  // Pushing a file into a stopped instance leaves the engine a file helper to end before the
  // next start, which sometimes holds that start back a whole second.
  if (!current.running() && current.Label(kImageCodeServerConfigKey) == "template") {
    return Status::Ok();
  }
  const InstanceFilesPost file{
      .path = kCodeServerConfigPath,
      .content = RenderCodeServerConfig(config, "127.0.0.1", options_.code_server_port),
      .mode = 0644};
  Status written = PushFile(*client_, instance, file);
  if (written.code() == Code::kNotFound) {  // an image without /etc/rockpool
    RP_RETURN_IF_ERROR(
        PushFile(*client_, instance, {.path = "/etc/rockpool", .directory = true, .mode = 0755}));
    written = PushFile(*client_, instance, file);
  }
  RP_RETURN_IF_ERROR(written);
  if (!current.running()) return Status::Ok();  // read at first start
  RP_ASSIGN_OR_RETURN(
      ExecResult restart,
      ExecInstance(*client_, instance, {.command = {"systemctl", "restart", "code-server"}},
                   options_.operation_timeout));
  if (restart.exit_code != 0) {
    return Status::Internal("incus: restart code-server in instance " + instance + ": exit " +
                            std::to_string(restart.exit_code) + ": " + restart.err);
  }
  return Status::Ok();
}

Status IncusRuntime::WaitHealthy(const std::string& name, std::chrono::milliseconds timeout) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  return PollHealthy(SocketPath(name), instance, timeout, "");
}

Status IncusRuntime::PollHealthy(const std::string& path, const std::string& instance,
                                 std::chrono::milliseconds timeout,
                                 const std::string& start_operation) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + timeout;
  auto client = socket_clients_(path);
  std::string last = "no answer yet";
  bool started = start_operation.empty();
  while (true) {
    if (!started) {
      // The start is still being finished: fail as soon as the daemon says it failed.
      auto op = client_->Call({.path = start_operation});
      if (!op.ok()) return op.status().WithContext("incus: start instance " + instance);
      const std::string status = op->metadata.value("status", "");
      if (status == "Success") {
        started = true;
      } else if (status != "Running" && status != "Pending") {
        return OperationOutcome(op->metadata, std::chrono::seconds(0))
            .WithContext("incus: start instance " + instance);
      }
    }
    auto answered = ProbeCodeServer(*client, deadline);
    if (!answered) return Status::Ok();
    last = *answered;
    if (Clock::now() + options_.health_poll_interval >= deadline) break;
    std::this_thread::sleep_for(options_.health_poll_interval);
  }
  return Status::DeadlineExceeded("incus: wait for code-server in instance " + instance +
                                  ": not healthy after " + std::to_string(timeout.count()) +
                                  " ms; last: " + last);
}

}  // namespace rockpool::incus
