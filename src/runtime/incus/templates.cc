// Template instances: one per image, started once so its filesystem is uid-shifted, then
// copied (a btrfs snapshot) for every workspace. Creating an unprivileged container straight
// from an image pays ~4 s of remapping; a copy of a shifted template starts without it.
#include <spdlog/spdlog.h>

#include <thread>

#include "core/reverter.h"
#include "runtime/incus/exec.h"
#include "runtime/incus/images.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instance_state.h"

namespace rockpool::incus {
namespace {

bool IsReadyTemplate(const Instance& instance) {
  return instance.Label(kLabelTemplateReady) == "true" &&
         instance.Label(kLabelTemplateGeneration) == kTemplateGeneration;
}

// Finished by an earlier Rockpool, which made templates another way.
bool IsOutdatedTemplate(const Instance& instance) {
  return instance.Label(kLabelTemplateReady) == "true" && !IsReadyTemplate(instance);
}

bool IsTemplateOf(const Instance& instance, const std::string& alias) {
  return instance.Label(kLabelTemplate) == "true" && instance.Label(kLabelTemplateAlias) == alias;
}

bool IsSpareOf(const Instance& instance, const std::string& alias) {
  return instance.Label(kLabelSpare) == "true" && instance.Label(kLabelTemplateAlias) == alias;
}

// Copies must not share the template's machine id: systemd commits a generated id at first
// boot, and a bind-mounted transient one hides the file while running. The reset waits (up to
// 60 s) until systemd has finished booting, so no commit comes after it; systemctl fails at
// once while systemd is still coming up. Then the file must be empty. What that boot made for
// itself goes too, so every copy makes its own: the temp files, and what code-server wrote
// beside the settings and extensions the image ships (its IPC socket, logs, machine id), once
// code-server has stopped (the template is then stopped by force, which would leave them).
const std::vector<std::string> kResetMachineId = {
    "sh", "-c",
    "i=0; until s=$(systemctl is-system-running --wait 2>/dev/null); "
    "[ \"$s\" = running ] || [ \"$s\" = degraded ]; do "
    "i=$((i+1)); [ $i -lt 600 ] || { echo \"systemd did not finish booting: $s\" >&2; exit 1; }; "
    "sleep 0.1; done; "
    "umount /etc/machine-id 2>/dev/null; : > /etc/machine-id && test ! -s /etc/machine-id && "
    "{ systemctl stop code-server.service 2>/dev/null; d=/home/admin/.local/share/code-server; "
    "[ ! -d $d ] || find $d -mindepth 1 -maxdepth 1 ! -name User ! -name extensions "
    "-exec rm -rf {} +; } && "
    "find /tmp /var/tmp -mindepth 1 -maxdepth 1 -exec rm -rf {} +"};

}  // namespace

Result<Instance> IncusRuntime::WaitForTemplate(const std::string& name) {
  auto deadline = std::chrono::steady_clock::now() + options_.operation_timeout;
  while (true) {
    auto current = GetInstance(*client_, name, false);
    if (!current.ok() || IsReadyTemplate(*current)) return current;
    if (std::chrono::steady_clock::now() >= deadline) return current;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

Result<std::string> IncusRuntime::PrepareTemplate(const std::string& image) {
  RP_ASSIGN_OR_RETURN(std::string fingerprint,
                      ResolveImage(image, "incus: prepare template for image " + image));
  return EnsureTemplate(image, fingerprint);
}

Result<std::string> IncusRuntime::EnsureTemplate(const std::string& alias,
                                                 const std::string& fingerprint) {
  std::string name = TemplateName(fingerprint);
  std::lock_guard lock(LockFor(name));
  auto existing = GetInstance(*client_, name, false);
  if (existing.ok() && IsReadyTemplate(*existing)) return name;
  if (!existing.ok() && existing.status().code() != Code::kNotFound) return existing.status();
  if (existing.ok() && !IsOutdatedTemplate(*existing)) {
    // Another process may be preparing it right now: give it time before starting over.
    existing = WaitForTemplate(name);
    if (existing.ok() && IsReadyTemplate(*existing)) return name;
    if (!existing.ok() && existing.status().code() != Code::kNotFound) return existing.status();
  }
  if (existing.ok()) {
    // Left half-made by an interrupted preparation, or outdated: start over.
    if (existing->running()) {
      RP_RETURN_IF_ERROR(PutInstanceState(*client_, name, {.action = "stop", .force = true},
                                          options_.operation_timeout));
    }
    RP_RETURN_IF_ERROR(DeleteInstance(*client_, name, options_.operation_timeout));
  }
  Status built = BuildTemplate(name, alias, fingerprint);
  if (built.code() == Code::kAlreadyExists) {  // another process raced us to it
    RP_ASSIGN_OR_RETURN(Instance other, WaitForTemplate(name));
    if (IsReadyTemplate(other)) return name;
  }
  RP_RETURN_IF_ERROR(built);
  return name;
}

Status IncusRuntime::BuildTemplate(const std::string& name, const std::string& alias,
                                   const std::string& fingerprint) {
  std::string context = "incus: prepare template " + name;
  InstancesPost post{.name = name,
                     .profiles = options_.profiles,
                     .source = {.type = "image", .fingerprint = fingerprint},
                     .config = {{kLabelManaged, "true"},
                                {kLabelTemplate, "true"},
                                {kLabelTemplateAlias, alias},
                                {kLabelImage, fingerprint}}};
  RP_RETURN_IF_ERROR(CreateInstance(*client_, post, options_.operation_timeout));
  Reverter revert;
  revert.Add([&] {
    Status stopped =
        PutInstanceState(*client_, name, {.action = "stop", .timeout = -1, .force = true},
                         options_.operation_timeout);
    if (!stopped.ok()) spdlog::warn("{}: undo: stop: {}", context, stopped.ToString());
    Status deleted = DeleteInstance(*client_, name, options_.operation_timeout);
    if (!deleted.ok()) {
      spdlog::warn(
          "{}: undo: could not delete the half-made template, instance {} is left "
          "behind (not marked ready, so `rockpool up` prunes it): {}",
          context, name, deleted.ToString());
    }
  });
  // The first start shifts the filesystem to the unprivileged id map, once for all copies.
  RP_RETURN_IF_ERROR(PutInstanceState(*client_, name, {.action = "start", .timeout = 30},
                                      options_.operation_timeout));
  RP_ASSIGN_OR_RETURN(ExecResult reset, ExecInstance(*client_, name, {.command = kResetMachineId},
                                                     options_.operation_timeout));
  if (reset.exit_code != 0) {
    return Status::Internal(context + ": reset machine-id exited " +
                            std::to_string(reset.exit_code) + ": " + reset.err);
  }
  RP_RETURN_IF_ERROR(PutInstanceState(*client_, name,
                                      {.action = "stop", .timeout = -1, .force = true},
                                      options_.operation_timeout));
  RP_RETURN_IF_ERROR(PatchInstance(
      *client_, name,
      {.config = {{kLabelTemplateReady, "true"}, {kLabelTemplateGeneration, kTemplateGeneration}}},
      ""));
  revert.Success();
  return Status::Ok();
}

Status IncusRuntime::PruneTemplates(const std::string& image) {
  std::string context = "incus: prune templates of image " + image;
  RP_ASSIGN_OR_RETURN(std::string current, ResolveImage(image, context));
  RP_ASSIGN_OR_RETURN(std::vector<Instance> all, GetInstances(*client_, false));
  for (const Instance& instance : all) {
    if (instance.Label(kLabelWarm) == "true") continue;  // FillWarmPools keeps those
    const bool stale_template =
        IsTemplateOf(instance, image) && instance.name != TemplateName(current);
    const bool stale_spare = IsSpareOf(instance, image) && instance.name != SpareName(current);
    // A spare not ready when `up` runs was left by a process that died while making it.
    const bool half_spare =
        IsSpareOf(instance, image) && instance.Label(kLabelSpareReady) != "true";
    if (!stale_template && !stale_spare && !half_spare) continue;
    std::lock_guard lock(LockFor(instance.name));
    if (half_spare && !stale_spare) {
      // Possibly still being made by a control plane that runs: then the daemon refuses, and
      // that is fine.
      Status deleted = DeleteInstance(*client_, instance.name, options_.operation_timeout);
      if (!deleted.ok()) {
        spdlog::info(
            "{}: half-made spare {} left in place (another control plane may still be "
            "making it): {}",
            context, instance.name, deleted.ToString());
      }
      continue;
    }
    if (instance.running()) {
      RP_RETURN_IF_ERROR(PutInstanceState(*client_, instance.name,
                                          {.action = "stop", .timeout = -1, .force = true},
                                          options_.operation_timeout));
    }
    RP_RETURN_IF_ERROR(DeleteInstance(*client_, instance.name, options_.operation_timeout));
  }
  return Status::Ok();
}

}  // namespace rockpool::incus
