#include "runtime/incus/exec.h"

#include "runtime/incus/operations.h"

namespace rockpool::incus {
namespace {

// Fetches one recorded output log, then deletes it so logs do not pile up in the daemon.
Result<std::string> FetchAndDeleteLog(IncusClient& client, const std::string& path) {
  auto log = client.Fetch({.path = path});
  auto deleted = client.Call({.method = "DELETE", .path = path});
  if (!log.ok()) return log.status().WithContext("read " + path);
  if (!deleted.ok()) return deleted.status().WithContext("delete " + path);
  return log->body;
}

}  // namespace

Json ToJson(const InstanceExecPost& post) {
  Json json = {{"command", post.command},
               {"environment", post.environment},
               {"wait-for-websocket", false},
               {"record-output", true},
               {"interactive", false}};
  if (post.user != 0 || post.group != 0) {
    json["user"] = post.user;
    json["group"] = post.group;
  }
  if (!post.cwd.empty()) json["cwd"] = post.cwd;
  return json;
}

Result<ExecResult> ExecInstance(IncusClient& client, const std::string& instance,
                                const InstanceExecPost& post, std::chrono::seconds timeout) {
  std::string context = "incus: exec in instance " + instance;
  auto started = client.Call({.method = "POST",
                              .path = "/1.0/instances/" + UrlEncode(instance) + "/exec",
                              .body = ToJson(post)});
  if (!started.ok()) return started.status().WithContext(context);
  auto op = WaitOperationObject(client, started->operation, timeout);
  if (!op.ok()) return op.status().WithContext(context);
  const Json meta = op->value("metadata", Json::object());
  if (!meta.is_object() || !meta.contains("return")) {
    RP_RETURN_IF_ERROR(OperationOutcome(*op, timeout).WithContext(context));
    return Status::Internal(context + ": operation has no exit code");
  }
  ExecResult result;
  result.exit_code = meta["return"].get<int>();
  const Json output = meta.value("output", Json::object());
  for (const auto& [fd, target] : {std::pair{"1", &result.out}, std::pair{"2", &result.err}}) {
    if (!output.contains(fd)) continue;
    auto text = FetchAndDeleteLog(client, output[fd].get<std::string>());
    if (!text.ok()) return text.status().WithContext(context);
    *target = std::move(*text);
  }
  if (op->value("status", "") != "Success" && result.err.empty()) result.err = op->value("err", "");
  return result;
}

}  // namespace rockpool::incus
