// The warm pool: booted copies of an image's template, with code-server up, that Create
// claims (incus_runtime.h says how a claim works and what a member never carries over).
#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>
#include <thread>

#include "core/reverter.h"
#include "runtime/incus/hardening.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instance_state.h"

namespace rockpool::incus {
namespace {

bool IsWarmMember(const Instance& instance) {
  return instance.Label(kLabelManaged) == "true" && instance.Label(kLabelWarm) == "true";
}

bool IsReadyWarmMember(const Instance& instance) {
  return IsWarmMember(instance) && instance.Label(kLabelSpareReady) == "true" &&
         instance.Label(kLabelTemplateGeneration) == kTemplateGeneration && instance.running();
}

// Waits while `busy` says a workspace is being created or started, up to `limit`.
void WaitWhileBusy(const std::function<bool()>& busy, std::chrono::seconds limit) {
  if (!busy) return;
  const auto until = std::chrono::steady_clock::now() + limit;
  while (busy() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Asks code-server for the workbench page once, as a browser would (following its redirect to
// the folder it opens): its first render costs a fifth of a second that the person's first
// request then does not pay. Best effort.
void RenderWorkbenchOnce(HttpClient& code_server) {
  auto first = code_server.Send({.target = "/", .timeout = std::chrono::seconds(10)});
  if (!first.ok()) return;
  const std::string location = first->Header("Location");
  if (first->status / 100 != 3 || location.rfind("./", 0) != 0) return;
  (void)code_server.Send({.target = "/" + location.substr(2), .timeout = std::chrono::seconds(10)});
}

}  // namespace

Result<bool> IncusRuntime::ClaimWarm(const std::string& name, const std::string& image,
                                     const std::string& fingerprint, const WorkspaceLimits& limits,
                                     const std::vector<Instance>& all) {
  auto of_image = [&](const Instance& member) {
    return member.Label(kLabelTemplateAlias) == image && member.Label(kLabelImage) == fingerprint;
  };
  InstancePatch wanted;
  for (const Instance& listed : all) {
    // Ready by the listing (members being made are skipped without a request), and again by
    // the member's own GET, whose ETag the claim is made under.
    if (!IsReadyWarmMember(listed) || !of_image(listed)) continue;
    if (wanted.config.empty()) {
      RP_RETURN_IF_ERROR(limits_.AddTo(limits, wanted.config, wanted.devices));
    }
    std::lock_guard lock(LockFor(listed.name));
    auto member = GetInstance(*client_, listed.name, false);  // for its ETag
    if (!member.ok() && member.status().code() == Code::kNotFound) continue;
    RP_RETURN_IF_ERROR(member.status());
    if (!IsReadyWarmMember(*member) || !of_image(*member)) continue;
    InstancePatch patch{.config = WorkspaceLabels(name, fingerprint)};
    patch.config[kCpuPriorityKey] = kWorkspaceCpuPriority;
    if (!Carries(*member, wanted)) {
      patch.config.insert(wanted.config.begin(), wanted.config.end());
      patch.devices = wanted.devices;
    }
    // Under the member's ETag: a claim by another process, or its retirement, lands first or
    // not at all.
    Status claimed = PatchInstance(*client_, member->name, patch, member->etag);
    if (claimed.code() == Code::kConflict) continue;
    if (!claimed.ok()) {
      return claimed.WithContext("incus: claim warm instance " + member->name + " for workspace " +
                                 name);
    }
    Remember(name, member->name);
    MoveWarmSocket(name, member->name);
    spdlog::info("incus: workspace {} claimed warm instance {}", name, member->name);
    return true;
  }
  return false;
}

Result<int> IncusRuntime::FillWarmPools(const std::map<std::string, int>& sizes,
                                        const WorkspaceLimits& limits,
                                        const std::function<bool()>& busy) {
  std::map<std::string, std::string> fingerprints;  // image alias -> its current build
  for (const auto& [image, size] : sizes) {
    if (size <= 0) continue;
    RP_ASSIGN_OR_RETURN(fingerprints[image],
                        ResolveImage(image, "incus: fill the warm pool of image " + image));
  }
  RP_ASSIGN_OR_RETURN(std::vector<Instance> all, GetInstances(*client_, false));
  std::map<std::string, int> ready;
  for (const Instance& member : all) {
    if (!IsWarmMember(member)) continue;
    const std::string image = member.Label(kLabelTemplateAlias);
    auto current = fingerprints.find(image);
    // This process makes one member at a time and finishes it before returning: one that is
    // not ready is a leftover of a failed attempt or of a process that died.
    if (current != fingerprints.end() && member.Label(kLabelImage) == current->second &&
        IsReadyWarmMember(member) && ready[image] < sizes.at(image)) {
      ++ready[image];
      continue;
    }
    auto retired = RetireWarmMember(member);
    if (!retired.ok()) return retired.status();
    if (*retired) spdlog::info("incus: removed warm instance {} of image {}", member.name, image);
  }
  for (const auto& [image, fingerprint] : fingerprints) {
    if (ready[image] >= sizes.at(image)) continue;
    RP_ASSIGN_OR_RETURN(std::string tpl, EnsureTemplate(image, fingerprint));
    RP_RETURN_IF_ERROR(MakeWarmMember(image, fingerprint, tpl, limits, busy));
    return 1;
  }
  return 0;
}

Status IncusRuntime::MakeWarmMember(const std::string& image, const std::string& fingerprint,
                                    const std::string& tpl, const WorkspaceLimits& limits,
                                    const std::function<bool()>& busy) {
  const std::string member = WarmName(fingerprint);
  const std::string context = "incus: make warm instance " + member + " of image " + image;
  const auto start = std::chrono::steady_clock::now();
  InstancesPost post{
      .name = member,
      .profiles = options_.profiles,
      .source = {.type = "copy", .source = tpl},
      .config = SpareLabels(image, fingerprint),
      .devices = {{kCodeDevice, ProxyDevice(WarmSocketPath(member), options_.code_server_port)}}};
  post.config[kLabelWarm] = "true";
  post.config[kCpuPriorityKey] = kWarmCpuPriority;
  AddHardening(post, HardeningOf(options_));
  RP_RETURN_IF_ERROR(limits_.AddTo(limits, post.config, post.devices));
  // The copy and the start are the engine's heavy steps; a workspace being made goes first.
  WaitWhileBusy(busy, options_.operation_timeout);
  {
    std::lock_guard allocating(idmap_mu_);
    Status copied = CreateInstance(*client_, post, options_.operation_timeout);
    if (!copied.ok()) return copied.WithContext(context);
  }
  Reverter revert;
  revert.Add([&] {
    auto made = GetInstance(*client_, member, false);
    auto retired = made.ok() ? RetireWarmMember(*made) : Result<bool>(made.status());
    if (!retired.ok() && retired.status().code() != Code::kNotFound) {
      spdlog::warn("{}: undo: could not delete it (the next fill removes it): {}", context,
                   retired.status().ToString());
    }
  });
  RP_ASSIGN_OR_RETURN(Instance made, GetInstance(*client_, member, false));
  Status configured = WriteCodeServerConfig(made, {.base_path = kCodeServerBasePath});
  if (!configured.ok()) return configured.WithContext(context);
  WaitWhileBusy(busy, options_.operation_timeout);
  Status started = PutInstanceState(*client_, member, {.action = "start", .timeout = 30},
                                    options_.operation_timeout);
  if (!started.ok()) return started.WithContext(context);
  RP_RETURN_IF_ERROR(PollHealthy(WarmSocketPath(member), member, options_.operation_timeout, ""));
  RenderWorkbenchOnce(*socket_clients_(WarmSocketPath(member)));
  Status marked = PatchInstance(*client_, member, {.config = {{kLabelSpareReady, "true"}}}, "");
  if (!marked.ok()) return marked.WithContext(context);
  revert.Success();
  spdlog::info("{}: ready in {:.1f} s", context,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return Status::Ok();
}

Result<bool> IncusRuntime::RetireWarmMember(const Instance& listed) {
  std::lock_guard lock(LockFor(listed.name));
  auto member = GetInstance(*client_, listed.name, false);
  if (!member.ok() && member.status().code() == Code::kNotFound) return true;
  RP_RETURN_IF_ERROR(member.status());
  if (!IsWarmMember(*member)) return false;  // claimed meanwhile
  Status retired = PatchInstance(*client_, member->name, {.config = {{kLabelSpareReady, "false"}}},
                                 member->etag);
  if (retired.code() == Code::kConflict) return false;  // changed meanwhile: next time
  RP_RETURN_IF_ERROR(retired);
  if (member->running()) {
    RP_RETURN_IF_ERROR(PutInstanceState(*client_, member->name,
                                        {.action = "stop", .timeout = -1, .force = true},
                                        options_.operation_timeout));
  }
  Status deleted = DeleteInstance(*client_, member->name, options_.operation_timeout);
  if (!deleted.ok() && deleted.code() != Code::kNotFound) return deleted;
  std::error_code ec;
  std::filesystem::remove(WarmSocketPath(member->name), ec);
  KeepDiskLimitsEnforced("incus: delete warm instance " + member->name);
  return true;
}

}  // namespace rockpool::incus
