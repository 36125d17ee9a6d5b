// Projects: each Rockpool deployment keeps its instances, templates, spares and profile in an
// LXD/Incus project of its own, so two deployments on one daemon, or an operator's own
// containers, never see each other's instances.
//
// The project shares the default project's images (features.images=false: the workspace image
// is built once per daemon) and networks (the bridge is a daemon-wide object), and has its own
// profiles: its "default" profile gives each instance a root disk on the deployment's pool and
// eth0 on its bridge. The project records the state folder of the deployment that made it
// (user.rockpool.owner), and a deployment refuses a project another one owns.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "runtime/incus/incus_client.h"

namespace rockpool::incus {

inline constexpr char kProjectOwnerKey[] = "user.rockpool.owner";

// What a deployment's project must hold.
struct ProjectSpec {
  std::string name;     // ROCKPOOL_PROJECT
  std::string owner;    // the deployment's state folder
  std::string pool;     // storage pool of root disks
  std::string network;  // managed bridge of eth0
  std::string subnet;   // the bridge's IPv4 address/prefix, used only to create it
};

// InvalidArgument unless `name` is a project name Rockpool accepts: 1-63 of [a-z0-9-], starting
// with a letter or digit, and not "default" (shared with everything else on the daemon).
Status ValidateProjectName(const std::string& name);

// Creates what is missing: the bridge, the project and its default profile; corrects a profile
// that drifted. Conflict when the project belongs to another deployment, or is an operator's own
// project with instances in it; NotFound when the storage pool is missing.
// `daemon` may act in any project: every path names its project.
Status EnsureProject(IncusClient& daemon, const ProjectSpec& spec);

// Ok when the project exists and is owned by `owner`; the fix otherwise. Cheap: one request.
Status CheckProject(IncusClient& daemon, const std::string& name, const std::string& owner);

// Moves the instances of project `from` labelled as Rockpool's (user.rockpool.managed) and
// accepted by `is_ours` into project `to`; a running one is stopped for the move and started
// again. Returns the names moved. Deployments from before projects kept their instances in the
// default project; this brings them into their own.
Result<std::vector<std::string>> AdoptInstances(
    IncusClient& daemon, const std::string& from, const std::string& to,
    const std::function<bool(const std::string& instance)>& is_ours, std::chrono::seconds timeout);

// Deletes every instance in project `name` (forcing running ones to stop), then the project.
// Ok when it does not exist. Refuses a project owned by another deployment.
Status DeleteProject(IncusClient& daemon, const std::string& name, const std::string& owner,
                     std::chrono::seconds timeout);

}  // namespace rockpool::incus
