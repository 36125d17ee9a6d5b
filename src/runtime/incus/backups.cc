#include "runtime/incus/backups.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "http/encoding.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instance_state.h"
#include "runtime/incus/instances.h"

namespace rockpool::incus {
namespace {

std::string BackupsPath(const std::string& instance) {
  return "/1.0/instances/" + UrlEncode(instance) + "/backups";
}

std::string BackupPath(const std::string& instance, const std::string& backup) {
  return BackupsPath(instance) + "/" + UrlEncode(backup);
}

bool IsWorkspaceInstance(const Instance& instance) {
  return instance.Label(kLabelManaged) == "true" && !instance.Label(kLabelWorkspace).empty() &&
         instance.Label(kLabelTemplate) != "true" && instance.Label(kLabelSpare) != "true";
}

// A backup name that no earlier, interrupted run left behind.
std::string FreshBackupName() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return "rockpool-" +
         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

}  // namespace

Json ToJson(const InstanceBackupsPost& post) {
  return Json{{"name", post.name},
              {"instance_only", post.instance_only},
              {"optimized_storage", post.optimized_storage},
              {"compression_algorithm", post.compression_algorithm}};
}

Status CreateInstanceBackup(IncusClient& client, const std::string& instance,
                            const InstanceBackupsPost& post, std::chrono::seconds timeout) {
  auto r = client.CallAndWait(
      {.method = "POST", .path = BackupsPath(instance), .body = ToJson(post), .timeout = timeout},
      timeout);
  return r.ok()
             ? Status::Ok()
             : r.status().WithContext("incus: back up instance " + instance + " as " + post.name);
}

Status ExportInstanceBackup(IncusClient& client, const std::string& instance,
                            const std::string& backup, const std::string& path,
                            std::chrono::seconds timeout) {
  auto r = client.Fetch({.path = BackupPath(instance, backup) + "/export",
                         .response_file = path,
                         .timeout = timeout});
  return r.ok() ? Status::Ok()
                : r.status().WithContext("incus: export backup " + backup + " of instance " +
                                         instance + " to " + path);
}

Status DeleteInstanceBackup(IncusClient& client, const std::string& instance,
                            const std::string& backup, std::chrono::seconds timeout) {
  auto r = client.CallAndWait({.method = "DELETE", .path = BackupPath(instance, backup)}, timeout);
  return r.ok() ? Status::Ok()
                : r.status().WithContext("incus: delete backup " + backup + " of instance " +
                                         instance);
}

Status ImportInstanceBackup(IncusClient& client, const InstancesPostBackup& post,
                            std::chrono::seconds timeout) {
  const std::string context = "incus: import instance " +
                              (post.name.empty() ? std::string() : post.name + " ") + "from " +
                              post.tarball_path;
  auto prefix = client.HeaderPrefix();
  if (!prefix.ok()) return prefix.status().WithContext(context);
  ApiRequest request{.method = "POST",
                     .path = "/1.0/instances",
                     .body_file = post.tarball_path,
                     .headers = {{"Content-Type", "application/octet-stream"}},
                     .timeout = timeout};
  if (!post.name.empty()) request.headers.emplace_back(*prefix + "name", post.name);
  if (!post.pool.empty()) request.headers.emplace_back(*prefix + "pool", post.pool);
  auto r = client.CallAndWait(request, timeout);
  return r.ok() ? Status::Ok() : r.status().WithContext(context);
}

IncusArchiver::IncusArchiver(std::shared_ptr<IncusClient> client, IncusArchiverOptions options)
    : client_(std::move(client)), options_(std::move(options)) {}

Result<std::vector<WorkspaceInstance>> IncusArchiver::ListWorkspaces() {
  RP_ASSIGN_OR_RETURN(std::vector<Instance> all, GetInstances(*client_, false));
  std::vector<WorkspaceInstance> out;
  for (const Instance& i : all) {
    if (IsWorkspaceInstance(i)) out.push_back({i.Label(kLabelWorkspace), i.name});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.instance < b.instance; });
  return out;
}

Status IncusArchiver::Export(const std::string& instance, const std::string& path) {
  const InstanceBackupsPost post{.name = FreshBackupName(),
                                 .optimized_storage = options_.optimized_storage,
                                 .compression_algorithm = options_.compression};
  RP_RETURN_IF_ERROR(CreateInstanceBackup(*client_, instance, post, options_.timeout));
  Status exported = ExportInstanceBackup(*client_, instance, post.name, path, options_.timeout);
  // The daemon keeps a copy of the tarball until the backup is deleted: always delete it.
  Status deleted = DeleteInstanceBackup(*client_, instance, post.name, options_.timeout);
  if (!exported.ok()) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return exported;
  }
  return deleted;
}

Status IncusArchiver::Import(const std::string& path, const std::string& instance) {
  return ImportInstanceBackup(
      *client_, {.tarball_path = path, .name = instance, .pool = options_.storage_pool},
      options_.timeout);
}

Status IncusArchiver::Remove(const std::string& instance) {
  auto current = GetInstance(*client_, instance, false);
  if (!current.ok()) {
    return current.status().code() == Code::kNotFound ? Status::Ok() : current.status();
  }
  if (current->status != "Stopped") {
    RP_RETURN_IF_ERROR(PutInstanceState(*client_, instance, {.action = "stop", .force = true},
                                        std::chrono::seconds(120)));
  }
  return DeleteInstance(*client_, instance, std::chrono::seconds(120));
}

}  // namespace rockpool::incus
