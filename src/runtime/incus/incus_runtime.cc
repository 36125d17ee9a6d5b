#include "runtime/incus/incus_runtime.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

#include "core/names.h"
#include "http/curl_client.h"
#include "runtime/incus/exec.h"
#include "runtime/incus/hardening.h"
#include "runtime/incus/images.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instance_state.h"
#include "runtime/incus/operations.h"
#include "runtime/incus/quota_accounting.h"
#include "runtime/incus/socket.h"
#include "runtime/incus/warm_files.h"

namespace rockpool::incus {
namespace {

bool IsReadySpare(const Instance& instance) {
  return instance.Label(kLabelSpareReady) == "true" &&
         instance.Label(kLabelTemplateGeneration) == kTemplateGeneration;
}

bool IsWorkspace(const Instance& instance) {
  return instance.Label(kLabelManaged) == "true" && !instance.Label(kLabelWorkspace).empty() &&
         instance.Label(kLabelTemplate) != "true";
}

InstanceInfo ToInfo(const Instance& instance, const std::string& fallback_name) {
  const std::string ws = instance.Label(kLabelWorkspace);
  return InstanceInfo{ws.empty() ? fallback_name : ws, instance.status, instance.running(),
                      instance.address, instance.location};
}

}  // namespace

Result<std::unique_ptr<IncusRuntime>> IncusRuntime::Open(IncusRuntimeOptions options,
                                                         std::string socket_path) {
  if (socket_path.empty()) {
    RP_ASSIGN_OR_RETURN(socket_path, DetectSocket());
  }
  std::error_code ec;
  if (std::filesystem::create_directories(options.socket_dir, ec)) {
    using std::filesystem::perms;
    std::filesystem::permissions(options.socket_dir,
                                 perms::owner_all | perms::group_read | perms::group_exec |
                                     perms::others_read | perms::others_exec,
                                 ec);
  }
  if (ec) {
    return Status::Internal("incus: create socket directory " + options.socket_dir + ": " +
                            ec.message());
  }
  if (options.engine_socket.empty()) options.engine_socket = socket_path;
  auto clients = [](const std::string& path) -> std::unique_ptr<HttpClient> {
    return std::make_unique<CurlHttpClient>(HttpEndpoint::Unix(path, "localhost"));
  };
  auto client = IncusClient::ForSocket(socket_path, options.project);
  return std::make_unique<IncusRuntime>(std::move(client), std::move(options), clients);
}

IncusRuntime::IncusRuntime(std::shared_ptr<IncusClient> client, IncusRuntimeOptions options,
                           SocketClientFactory socket_clients)
    : client_(std::move(client)),
      options_(std::move(options)),
      socket_clients_(std::move(socket_clients)),
      limits_(client_, options_.storage_pool, options_.profiles) {
  if (!options_.engine_socket.empty()) {
    quota_keeper_ = std::make_unique<QuotaKeeper>(
        quota_runner_,
        (std::filesystem::path(options_.engine_socket).parent_path() / "storage-pools").string());
  }
}

std::mutex& IncusRuntime::LockFor(const std::string& instance) {
  std::lock_guard lock(locks_mu_);
  auto& mu = locks_[instance];
  if (!mu) mu = std::make_unique<std::mutex>();
  return *mu;
}

Config IncusRuntime::WorkspaceLabels(const std::string& name,
                                     const std::string& fingerprint) const {
  // A copy inherits the template's labels and a spare its own unless they are overridden.
  return {{kLabelManaged, "true"},        {kLabelWorkspace, name},   {kLabelTemplate, "false"},
          {kLabelTemplateReady, "false"}, {kLabelTemplateAlias, ""}, {kLabelSpare, "false"},
          {kLabelSpareReady, "false"},    {kLabelWarm, "false"},     {kLabelImage, fingerprint}};
}

Config IncusRuntime::SpareLabels(const std::string& image, const std::string& fingerprint) {
  return {{kLabelManaged, "true"},   {kLabelSpare, "true"},          {kLabelSpareReady, "false"},
          {kLabelTemplate, "false"}, {kLabelTemplateReady, "false"}, {kLabelTemplateAlias, image},
          {kLabelImage, fingerprint}};
}

Status IncusRuntime::MakeWorkspace(const std::string& instance, const std::string& name,
                                   const std::string& fingerprint, const WorkspaceLimits& limits) {
  InstancePatch patch{
      .config = WorkspaceLabels(name, fingerprint),
      .devices = {{kCodeDevice, ProxyDevice(SocketPath(name), options_.code_server_port)}}};
  RP_RETURN_IF_ERROR(limits_.AddTo(limits, patch.config, patch.devices));
  return PatchInstance(*client_, instance, patch, "");
}

Status IncusRuntime::ClaimSpare(const std::string& instance, const std::string& fingerprint) {
  const std::string spare = SpareName(fingerprint);
  std::lock_guard lock(LockFor(spare));
  RP_ASSIGN_OR_RETURN(Instance current, GetInstance(*client_, spare, false));
  if (!IsReadySpare(current)) {
    return Status::NotFound("incus: spare " + spare + " is still being made");
  }
  return RenameInstance(*client_, spare, instance, options_.operation_timeout);
}

Status IncusRuntime::Create(const std::string& name, const std::string& image,
                            const WorkspaceLimits& limits) {
  RP_RETURN_IF_ERROR(ValidateWorkspaceName(name));
  std::string instance = InstanceName(name);
  std::string context = "incus: create instance " + instance;
  std::lock_guard lock(LockFor(instance));
  // One listing answers whether the workspace has an instance (by its name or by its label)
  // and which warm members are there to claim.
  RP_ASSIGN_OR_RETURN(std::vector<Instance> all, GetInstances(*client_, false));
  for (const Instance& existing : all) {
    if (existing.name == instance) {
      const std::string from = existing.Label(kLabelImage);
      if (existing.Label(kLabelSpare) == "true" && !from.empty()) {
        return MakeWorkspace(instance, name, from, limits);  // a claim that was interrupted
      }
      return Status::AlreadyExists(context + ": instance exists already");
    }
    if (IsWorkspace(existing) && existing.Label(kLabelWorkspace) == name) {
      return Status::AlreadyExists("incus: create workspace " + name + ": instance " +
                                   existing.name + " is the workspace's already");
    }
  }
  KeepDiskLimitsEnforced(context);
  RP_ASSIGN_OR_RETURN(std::string fingerprint, ResolveImage(image, context));
  RemoveSocketFiles(name);
  auto warm = ClaimWarm(name, image, fingerprint, limits, all);
  if (warm.ok() && *warm) return Status::Ok();
  if (!warm.ok()) {
    spdlog::warn("{}: no warm pool member claimed, making one: {}", context,
                 warm.status().ToString());
  }
  Status claimed = ClaimSpare(instance, fingerprint);
  // Until MakeWorkspace lands the instance is a spare by its labels: a Create after an
  // interruption here finishes it (above).
  if (claimed.ok()) return MakeWorkspace(instance, name, fingerprint, limits);
  if (claimed.code() != Code::kNotFound) {
    spdlog::warn("{}: spare not used, copying the template instead: {}", context,
                 claimed.ToString());
  }
  RP_ASSIGN_OR_RETURN(std::string tpl, EnsureTemplate(image, fingerprint));
  InstancesPost post{
      .name = instance,
      .profiles = options_.profiles,
      .source = {.type = "copy", .source = tpl},
      .config = WorkspaceLabels(name, fingerprint),
      .devices = {{kCodeDevice, ProxyDevice(SocketPath(name), options_.code_server_port)}}};
  AddHardening(post, HardeningOf(options_));
  RP_RETURN_IF_ERROR(limits_.AddTo(limits, post.config, post.devices));
  std::lock_guard allocating(idmap_mu_);
  return CreateInstance(*client_, post, options_.operation_timeout);
}

Result<std::string> IncusRuntime::InstanceOf(const std::string& name) {
  std::string known;
  {
    std::lock_guard lock(locks_mu_);
    if (auto it = instance_of_.find(name); it != instance_of_.end()) known = it->second;
  }
  if (!known.empty()) {
    auto current = GetInstance(*client_, known, false);
    if (current.ok() && current->Label(kLabelWorkspace) == name) return known;
    if (!current.ok() && current.status().code() != Code::kNotFound) return current.status();
    Forget(name);  // deleted, or another process made the workspace anew
  }
  const std::string plain = InstanceName(name);
  auto current = GetInstance(*client_, plain, false);
  if (current.ok()) return plain;
  if (current.status().code() != Code::kNotFound) return current.status();
  RP_ASSIGN_OR_RETURN(std::vector<Instance> all, GetInstances(*client_, false));
  for (const Instance& instance : all) {
    if (IsWorkspace(instance) && instance.Label(kLabelWorkspace) == name) {
      Remember(name, instance.name);
      return instance.name;
    }
  }
  return plain;
}

void IncusRuntime::Remember(const std::string& name, const std::string& instance) {
  std::lock_guard lock(locks_mu_);
  instance_of_[name] = instance;
}

void IncusRuntime::Forget(const std::string& name) {
  std::lock_guard lock(locks_mu_);
  instance_of_.erase(name);
}

Result<bool> IncusRuntime::IsPrewarmed(const std::string& image) {
  RP_ASSIGN_OR_RETURN(std::string fingerprint,
                      ResolveImage(image, "incus: look for the spare of image " + image));
  auto spare = GetInstance(*client_, SpareName(fingerprint), false);
  if (spare.ok()) return IsReadySpare(*spare);
  if (spare.status().code() == Code::kNotFound) return false;
  return spare.status();
}

Status IncusRuntime::Prewarm(const std::string& image) {
  std::string context = "incus: prepare a spare of image " + image;
  RP_ASSIGN_OR_RETURN(std::string fingerprint, ResolveImage(image, context));
  RP_ASSIGN_OR_RETURN(std::string tpl, EnsureTemplate(image, fingerprint));
  const std::string spare = SpareName(fingerprint);
  {
    std::lock_guard lock(LockFor(spare));
    // One that exists but is not ready is being made by another process (or was left by one
    // that died: `rockpool up` prunes those).
    auto existing = GetInstance(*client_, spare, false);
    if (existing.ok() && existing->Label(kLabelSpareReady) == "true" && !IsReadySpare(*existing)) {
      // Copied from an outdated template: made again.
      RP_RETURN_IF_ERROR(DeleteInstance(*client_, spare, options_.operation_timeout));
      existing = Status::NotFound("replaced an outdated spare");
    }
    if (existing.ok() || existing.status().code() != Code::kNotFound) return existing.status();
    InstancesPost post{.name = spare,
                       .profiles = options_.profiles,
                       .source = {.type = "copy", .source = tpl},
                       .config = SpareLabels(image, fingerprint)};
    AddHardening(post, HardeningOf(options_));
    Status copied = [&] {
      std::lock_guard allocating(idmap_mu_);
      return CreateInstance(*client_, post, options_.operation_timeout);
    }();
    // Another process is making it: just as good.
    if (copied.code() == Code::kAlreadyExists) return Status::Ok();
    if (!copied.ok()) {
      Status deleted = DeleteInstance(*client_, spare, options_.operation_timeout);
      if (!deleted.ok() && deleted.code() != Code::kNotFound) {
        spdlog::warn(
            "{}: undo: could not delete the half-made spare {}, left behind (not marked "
            "ready, so `rockpool up` prunes it): {}",
            context, spare, deleted.ToString());
      }
      return copied;
    }
  }
  // Unlocked, as it takes seconds: a create meanwhile copies the template instead.
  RP_RETURN_IF_ERROR(ShiftIdmap(*client_, spare, options_.operation_timeout));
  RP_RETURN_IF_ERROR(PatchInstance(*client_, spare, {.config = {{kLabelSpareReady, "true"}}}, ""));
  // Unlocked: a Create may take the spare meanwhile; it keeps the same files, so the reading
  // still serves it.
  WarmSpare(spare);
  return Status::Ok();
}

void IncusRuntime::WarmSpare(const std::string& spare) {
  if (options_.engine_socket.empty() || options_.warm_paths.empty()) return;
  auto root = InstanceRootOnHost(options_.engine_socket, options_.project, spare);
  if (!root.ok()) {
    spdlog::debug("{}", root.status().ToString());
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  auto bytes = WarmFiles(*root, options_.warm_paths);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (bytes.ok()) {
    spdlog::info("incus: read {} MB of spare {} into the page cache in {:.2f} s", *bytes >> 20,
                 spare, seconds);
  } else {
    spdlog::warn("incus: read the files of spare {}: {}", spare, bytes.status().ToString());
  }
}

Status IncusRuntime::CheckImage(const std::string& image) {
  auto target = GetImageAliasTarget(*client_, image);
  if (!target.ok()) return target.status().WithContext("incus: look up image " + image);
  if (!target->has_value()) {
    return Status::NotFound("image \"" + image +
                            "\" does not exist on this host: build it with `rockpool image build`"
                            " (or choose an existing image)");
  }
  return Status::Ok();
}

Status IncusRuntime::SettleStart(const std::string& instance) {
  std::string operation;
  {
    std::lock_guard lock(locks_mu_);
    auto it = starting_.find(instance);
    if (it == starting_.end()) return Status::Ok();
    operation = std::move(it->second);
    starting_.erase(it);
  }
  auto done = WaitOperation(*client_, operation, options_.operation_timeout);
  // The daemon forgets finished operations after a few seconds: gone means long done.
  if (done.ok() || done.status().code() == Code::kNotFound) return Status::Ok();
  return done.status().WithContext("incus: start instance " + instance);
}

Result<std::string> IncusRuntime::RequestStart(const std::string& name, const std::string& instance,
                                               const WorkspaceLimits& limits) {
  RP_RETURN_IF_ERROR(SettleStart(instance));
  RP_ASSIGN_OR_RETURN(Instance current, GetInstance(*client_, instance, false));
  if (current.running()) {
    MoveWarmSocket(name, instance);
    return std::string();
  }
  KeepDiskLimitsEnforced("incus: start instance " + instance);
  // Made before hardening: patched under the id-map lock. Otherwise the lock is not taken, so
  // a start never waits for a copy in progress (a warm member being made).
  if (InstancePatch missing = MissingHardening(current, HardeningOf(options_));
      !missing.config.empty() || !missing.devices.empty()) {
    std::lock_guard allocating(idmap_mu_);
    RP_RETURN_IF_ERROR(Harden(*client_, current, HardeningOf(options_)));
  }
  RP_RETURN_IF_ERROR(limits_.ApplyIfChanged(current, limits));
  // A claimed warm member's IDE socket is still the one named for the member.
  if (auto it = current.devices.find(kCodeDevice);
      it != current.devices.end() && it->second["listen"] != "unix:" + SocketPath(name)) {
    const Device ide = ProxyDevice(SocketPath(name), options_.code_server_port);
    RP_RETURN_IF_ERROR(PatchInstance(*client_, instance, {.devices = {{kCodeDevice, ide}}}, ""));
  }
  RemoveSocketFiles(name);  // stale sockets from the last run
  auto started =
      client_->Call({.method = "PUT",
                     .path = "/1.0/instances/" + UrlEncode(instance) + "/state",
                     .body = ToJson(InstanceStatePut{.action = "start", .timeout = 30})});
  if (!started.ok()) return started.status().WithContext("incus: start instance " + instance);
  return started->operation;
}

Status IncusRuntime::StartAndWaitHealthy(const std::string& name, const WorkspaceLimits& limits,
                                         std::chrono::milliseconds timeout) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  std::string operation;
  {
    std::lock_guard lock(LockFor(instance));
    RP_ASSIGN_OR_RETURN(operation, RequestStart(name, instance, limits));
    if (!operation.empty()) {
      std::lock_guard locks(locks_mu_);
      starting_[instance] = operation;
    }
  }
  // The daemon finishes a start only once the helper behind each proxy device has reported
  // in, which it checks once a second: code-server often answers through its socket before.
  // What comes next for the instance waits for the start to be finished (SettleStart).
  return PollHealthy(SocketPath(name), instance, timeout, operation);
}

Status IncusRuntime::Start(const std::string& name, const WorkspaceLimits& limits) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  std::lock_guard lock(LockFor(instance));
  RP_ASSIGN_OR_RETURN(std::string operation, RequestStart(name, instance, limits));
  if (operation.empty()) return Status::Ok();  // running already, or a synchronous answer
  auto done = WaitOperation(*client_, operation, options_.operation_timeout);
  return done.ok() ? Status::Ok() : done.status().WithContext("incus: start instance " + instance);
}

// Stops gracefully for up to stop_grace, then forces: a workspace's files are on disk, and a
// systemd shutdown inside a container can take long.
Status IncusRuntime::StopInstance(const Instance& instance) {
  if (!instance.running()) return Status::Ok();
  int grace = static_cast<int>(options_.stop_grace.count());
  if (grace > 0) {
    Status graceful = PutInstanceState(*client_, instance.name,
                                       {.action = "stop", .timeout = grace, .force = false},
                                       options_.stop_grace + std::chrono::seconds(30));
    if (graceful.ok()) return graceful;
    if (graceful.code() == Code::kUnavailable) return graceful;
  }
  return PutInstanceState(*client_, instance.name, {.action = "stop", .timeout = -1, .force = true},
                          options_.operation_timeout);
}

Status IncusRuntime::Stop(const std::string& name) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  std::lock_guard lock(LockFor(instance));
  RP_RETURN_IF_ERROR(SettleStart(instance));
  RP_ASSIGN_OR_RETURN(Instance current, GetInstance(*client_, instance, false));
  RP_RETURN_IF_ERROR(StopInstance(current));
  RemoveSocketFiles(name);
  std::error_code ec;
  std::filesystem::remove(WarmSocketPath(instance), ec);
  return Status::Ok();
}

Result<std::vector<std::string>> IncusRuntime::RepairLimits() {
  if (quota_keeper_ == nullptr) return std::vector<std::string>{};
  RP_ASSIGN_OR_RETURN(std::vector<std::string> pools, quota_keeper_->Repair());
  for (std::string& pool : pools) {
    pool = "btrfs marked the quota accounting of " + pool +
           " inconsistent (its numbers, and so disk limits, could not be trusted); rescanned it";
  }
  return pools;
}

void IncusRuntime::KeepDiskLimitsEnforced(const std::string& context) {
  auto repaired = RepairLimits();
  if (!repaired.ok()) {
    spdlog::warn("{}: {}", context, repaired.status().ToString());
    return;
  }
  for (const std::string& line : *repaired) spdlog::warn("{}: {}", context, line);
}

Status IncusRuntime::Remove(const std::string& name) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  std::lock_guard lock(LockFor(instance));
  (void)SettleStart(instance);  // removed whether or not that start worked
  auto current = GetInstance(*client_, instance, false);
  if (!current.ok() && current.status().code() != Code::kNotFound) return current.status();
  if (current.ok()) {
    if (current->running()) {
      RP_RETURN_IF_ERROR(PutInstanceState(*client_, instance,
                                          {.action = "stop", .timeout = -1, .force = true},
                                          options_.operation_timeout));
    }
    Status deleted = DeleteInstance(*client_, instance, options_.operation_timeout);
    if (!deleted.ok() && deleted.code() != Code::kNotFound) return deleted;
    KeepDiskLimitsEnforced("incus: delete instance " + instance);
  }
  Forget(name);
  RemoveSocketFiles(name);
  std::error_code ec;
  std::filesystem::remove(WarmSocketPath(instance), ec);
  return Status::Ok();
}

Result<InstanceInfo> IncusRuntime::Inspect(const std::string& name) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  RP_ASSIGN_OR_RETURN(Instance current, GetInstance(*client_, instance, true));
  return ToInfo(current, name);
}

Result<std::vector<InstanceInfo>> IncusRuntime::List() {
  RP_ASSIGN_OR_RETURN(std::vector<Instance> all, GetInstances(*client_, true));
  std::vector<InstanceInfo> out;
  for (const Instance& instance : all) {
    if (IsWorkspace(instance)) {
      Remember(instance.Label(kLabelWorkspace), instance.name);
      out.push_back(ToInfo(instance, instance.name));
    } else if (std::string ws = WorkspaceOnLostMember(instance); !ws.empty()) {
      out.push_back(InstanceInfo{ws, instance.status, false, "", instance.location});
    }
  }
  return out;
}

// A cluster member that does not answer leaves its instances listed with a name, a location
// and status Error, and nothing else: no labels. Such an instance is the workspace it was last
// listed as, or the workspace whose plain instance name it has; "" when it is neither.
std::string IncusRuntime::WorkspaceOnLostMember(const Instance& instance) {
  if (instance.status != "Error" || instance.location.empty() || !instance.config.empty()) {
    return "";
  }
  {
    std::lock_guard lock(locks_mu_);
    for (const auto& [ws, name] : instance_of_) {
      if (name == instance.name) return ws;
    }
  }
  const std::string_view prefix = "rp-";
  if (!instance.name.starts_with(prefix)) return "";
  const std::string ws = instance.name.substr(prefix.size());
  return ValidateWorkspaceName(ws).ok() && InstanceName(ws) == instance.name ? ws : "";
}

Result<ExecResult> IncusRuntime::Exec(const std::string& name,
                                      const std::vector<std::string>& argv) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  return ExecInstance(*client_, instance, {.command = argv}, options_.operation_timeout);
}

// The image's user is uid 1000, "admin" (images/linux/provision.sh). The script runs under
// coreutils' timeout, so one that hangs is killed inside the instance rather than left running
// after the wait below gives up.
Result<ScriptResult> IncusRuntime::RunScript(const std::string& name, const ScriptSpec& spec) {
  const bool root = spec.user == ScriptSpec::User::kRoot;
  InstanceExecPost post;
  post.command = {"timeout", "-k", "5",        std::to_string(spec.timeout.count()),
                  "/bin/sh", "-c", spec.script};
  post.environment = spec.env;
  post.environment["HOME"] = root ? "/root" : "/home/admin";
  post.environment["USER"] = root ? "root" : "admin";
  post.environment["LANG"] = "C.UTF-8";
  post.environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  post.user = root ? 0 : 1000;
  post.group = root ? 0 : 1000;
  post.cwd = root ? "/root" : "/home/admin";
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  RP_ASSIGN_OR_RETURN(ExecResult r, ExecInstance(*client_, instance, post,
                                                 spec.timeout + std::chrono::seconds(15)));
  return ScriptResult{r.exit_code, std::move(r.out), std::move(r.err)};
}

Result<std::string> IncusRuntime::ResolveImage(const std::string& image,
                                               const std::string& context) {
  auto target = GetImageAliasTarget(*client_, image);
  if (!target.ok()) return target.status().WithContext(context);
  if (!target->has_value()) {
    return Status::NotFound(context + ": image " + image + " not found (no such alias)");
  }
  return **target;
}

}  // namespace rockpool::incus
