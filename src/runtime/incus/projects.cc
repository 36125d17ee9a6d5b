#include "runtime/incus/projects.h"

#include <regex>

#include "runtime/incus/instance_names.h"
#include "runtime/incus/instance_state.h"
#include "runtime/incus/instances.h"

namespace rockpool::incus {
namespace {

std::string ProjectPath(const std::string& name) { return "/1.0/projects/" + name; }

// The project's config, or NotFound.
Result<Json> GetProject(IncusClient& daemon, const std::string& name) {
  auto r = daemon.Call({.path = ProjectPath(name), .timeout = std::chrono::seconds(10)});
  if (!r.ok()) return r.status().WithContext("LXD project " + name);
  return r->metadata;
}

std::string OwnerOf(const Json& project) {
  const Json& config = project.value("config", Json::object());
  return config.is_object() ? config.value(kProjectOwnerKey, "") : "";
}

Status OwnedBy(const Json& project, const std::string& name, const std::string& owner) {
  const std::string found = OwnerOf(project);
  if (found == owner) return Status::Ok();
  if (found.empty()) {
    return Status::Conflict(
        "LXD project " + name +
        " exists but was not made by Rockpool; choose another project with ROCKPOOL_PROJECT, or "
        "mark it as this deployment's: lxc project set " +
        name + " " + kProjectOwnerKey + "=" + owner);
  }
  return Status::Conflict(
      "LXD project " + name + " belongs to the Rockpool deployment whose state is in " + found +
      "; give this deployment (" + owner + ") another project with ROCKPOOL_PROJECT");
}

Status EnsureBridge(IncusClient& daemon, const ProjectSpec& spec) {
  auto network = daemon.Call({.path = "/1.0/networks/" + spec.network});
  if (network.ok()) return Status::Ok();
  if (network.status().code() != Code::kNotFound) {
    return network.status().WithContext("LXD network " + spec.network);
  }
  if (spec.subnet.empty()) {
    return Status::InvalidArgument("LXD network " + spec.network +
                                   " is missing and no subnet is set (ROCKPOOL_SUBNET)");
  }
  auto made = daemon.Call(
      {.method = "POST",
       .path = "/1.0/networks",
       .body = Json{
           {"name", spec.network},
           {"type", "bridge"},
           {"description", "Rockpool workspaces"},
           {"config",
            {{"ipv4.address", spec.subnet}, {"ipv4.nat", "true"}, {"ipv6.address", "none"}}}}});
  if (made.ok() || made.status().code() == Code::kAlreadyExists) return Status::Ok();
  return made.status().WithContext("create LXD bridge " + spec.network + " (" + spec.subnet + ")");
}

// LXD refuses two running instances of one name on a bridge, whatever their projects, and every
// deployment has a workspace "test" and templates named after the shared image: deployments
// on one daemon need bridges of their own.
Status CheckBridgeIsOurs(IncusClient& daemon, const ProjectSpec& spec) {
  auto projects = daemon.Call({.path = "/1.0/projects?recursion=1"});
  if (!projects.ok()) return projects.status().WithContext("list LXD projects");
  for (const Json& project : projects->metadata) {
    const std::string name = project.value("name", "");
    const std::string owner = OwnerOf(project);
    if (name == spec.name || owner.empty() || owner == spec.owner) continue;
    auto profile = daemon.Call({.path = "/1.0/profiles/default?project=" + name});
    if (!profile.ok()) continue;  // a project being deleted
    const Json devices = profile->metadata.value("devices", Json::object());
    for (const auto& [device, config] : devices.items()) {
      if (config.value("type", "") == "nic" && config.value("network", "") == spec.network) {
        return Status::Conflict("bridge " + spec.network +
                                " belongs to the Rockpool deployment whose state is in " + owner +
                                " (LXD project " + name +
                                "); give this deployment a bridge of its own with "
                                "ROCKPOOL_BRIDGE and ROCKPOOL_SUBNET");
      }
    }
  }
  return Status::Ok();
}

Json ProfileDevices(const ProjectSpec& spec) {
  return {{"root", {{"type", "disk"}, {"path", "/"}, {"pool", spec.pool}}},
          {"eth0", {{"type", "nic"}, {"network", spec.network}, {"name", "eth0"}}}};
}

Status EnsureProfile(IncusClient& daemon, const ProjectSpec& spec) {
  const std::string path = "/1.0/profiles/default?project=" + spec.name;
  auto profile = daemon.Call({.path = path});
  if (!profile.ok()) return profile.status().WithContext("profile of LXD project " + spec.name);
  const Json want = ProfileDevices(spec);
  if (profile->metadata.value("devices", Json::object()) == want) return Status::Ok();
  auto put =
      daemon.Call({.method = "PUT",
                   .path = path,
                   .body = Json{{"config", profile->metadata.value("config", Json::object())},
                                {"description", "Rockpool workspaces"},
                                {"devices", want}}});
  return put.ok() ? Status::Ok()
                  : put.status().WithContext("set the profile of LXD project " + spec.name);
}

}  // namespace

Status ValidateProjectName(const std::string& name) {
  static const std::regex kName("[a-z0-9][a-z0-9-]{0,62}");
  if (!std::regex_match(name, kName)) {
    return Status::InvalidArgument("ROCKPOOL_PROJECT \"" + name +
                                   "\" is not a valid project name: use 1-63 lowercase letters, "
                                   "digits and dashes, starting with a letter or digit");
  }
  if (name == "default") {
    return Status::InvalidArgument(
        "ROCKPOOL_PROJECT cannot be \"default\": Rockpool keeps its instances in a project of its "
        "own, apart from everything else on the daemon");
  }
  return Status::Ok();
}

Status CheckProject(IncusClient& daemon, const std::string& name, const std::string& owner) {
  RP_RETURN_IF_ERROR(ValidateProjectName(name));
  auto project = GetProject(daemon, name);
  if (!project.ok()) {
    if (project.status().code() == Code::kNotFound) {
      return Status::Unavailable("LXD project " + name +
                                 " does not exist; create it with: rockpool up");
    }
    return project.status();
  }
  return OwnedBy(*project, name, owner);
}

Status EnsureProject(IncusClient& daemon, const ProjectSpec& spec) {
  RP_RETURN_IF_ERROR(ValidateProjectName(spec.name));
  auto pool = daemon.Call({.path = "/1.0/storage-pools/" + spec.pool});
  if (!pool.ok()) {
    return pool.status().WithContext("LXD storage pool " + spec.pool +
                                     " (ROCKPOOL_POOL; ./scripts/up.sh creates it)");
  }
  RP_RETURN_IF_ERROR(EnsureBridge(daemon, spec));
  RP_RETURN_IF_ERROR(CheckBridgeIsOurs(daemon, spec));
  auto project = GetProject(daemon, spec.name);
  if (project.ok()) {
    if (OwnerOf(*project).empty()) {
      // An operator's empty project may be claimed; one with instances is not ours to take.
      auto instances = daemon.InProject(spec.name)->Call({.path = "/1.0/instances"});
      if (!instances.ok()) return instances.status().WithContext("LXD project " + spec.name);
      if (!instances->metadata.empty()) return OwnedBy(*project, spec.name, spec.owner);
      Json put = {{"config", project->value("config", Json::object())},
                  {"description", project->value("description", "")}};
      put["config"][kProjectOwnerKey] = spec.owner;
      auto claimed = daemon.Call({.method = "PUT", .path = ProjectPath(spec.name), .body = put});
      if (!claimed.ok()) return claimed.status().WithContext("claim LXD project " + spec.name);
    } else {
      RP_RETURN_IF_ERROR(OwnedBy(*project, spec.name, spec.owner));
    }
  } else if (project.status().code() == Code::kNotFound) {
    auto made =
        daemon.Call({.method = "POST",
                     .path = "/1.0/projects",
                     .body = Json{{"name", spec.name},
                                  {"description", "Rockpool workspaces (" + spec.owner + ")"},
                                  {"config",
                                   {{"features.images", "false"},
                                    {"features.profiles", "true"},
                                    {"features.storage.volumes", "false"},
                                    {kProjectOwnerKey, spec.owner}}}}});
    if (!made.ok()) return made.status().WithContext("create LXD project " + spec.name);
  } else {
    return project.status();
  }
  return EnsureProfile(daemon, spec);
}

Result<std::vector<std::string>> AdoptInstances(
    IncusClient& daemon, const std::string& from, const std::string& to,
    const std::function<bool(const std::string& instance)>& is_ours, std::chrono::seconds timeout) {
  auto source = daemon.InProject(from);
  RP_ASSIGN_OR_RETURN(std::vector<Instance> instances, GetInstances(*source, false));
  std::vector<std::string> moved;
  for (const Instance& instance : instances) {
    if (instance.Label(kLabelManaged) != "true" || !is_ours(instance.name)) continue;
    const std::string context =
        "move instance " + instance.name + " from LXD project " + from + " to " + to;
    const bool was_running = instance.running();
    if (was_running) {
      Status stopped =
          PutInstanceState(*source, instance.name, {.action = "stop", .timeout = 30}, timeout);
      if (!stopped.ok()) return stopped.WithContext(context);
    }
    auto r = source->CallAndWait(
        {.method = "POST",
         .path = "/1.0/instances/" + instance.name,
         // A server-side move: without "migration", LXD 5.0
         // ignores the project and only renames.
         .body = Json{{"name", instance.name}, {"migration", true}, {"project", to}}},
        timeout);
    if (!r.ok()) return r.status().WithContext(context);
    moved.push_back(instance.name);
    if (was_running) {
      Status started =
          PutInstanceState(*daemon.InProject(to), instance.name, {.action = "start"}, timeout);
      if (!started.ok()) return started.WithContext("start " + instance.name + " after the move");
    }
  }
  return moved;
}

Status DeleteProject(IncusClient& daemon, const std::string& name, const std::string& owner,
                     std::chrono::seconds timeout) {
  RP_RETURN_IF_ERROR(ValidateProjectName(name));
  auto project = GetProject(daemon, name);
  if (!project.ok()) {
    return project.status().code() == Code::kNotFound ? Status::Ok() : project.status();
  }
  RP_RETURN_IF_ERROR(OwnedBy(*project, name, owner));
  auto client = daemon.InProject(name);
  RP_ASSIGN_OR_RETURN(std::vector<Instance> instances, GetInstances(*client, false));
  for (const Instance& instance : instances) {
    if (instance.running()) {
      RP_RETURN_IF_ERROR(PutInstanceState(
          *client, instance.name, {.action = "stop", .timeout = -1, .force = true}, timeout));
    }
    RP_RETURN_IF_ERROR(DeleteInstance(*client, instance.name, timeout));
  }
  // The project's own default profile goes with it.
  auto deleted = daemon.Call({.method = "DELETE", .path = ProjectPath(name)});
  return deleted.ok() ? Status::Ok() : deleted.status().WithContext("delete LXD project " + name);
}

}  // namespace rockpool::incus
