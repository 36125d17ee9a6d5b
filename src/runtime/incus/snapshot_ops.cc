// IncusRuntime's snapshots: LXD/Incus snapshots of the workspace's instance (filesystem and
// config, never memory). The instance's snapshots go with it when it is deleted.
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/snapshots.h"

namespace rockpool::incus {
namespace {

constexpr char kPortDevicePrefix[] = "port-";

SnapshotInfo ToInfo(const InstanceSnapshot& s) { return {s.name, s.created_at}; }

}  // namespace

Result<std::vector<SnapshotInfo>> IncusRuntime::ListSnapshots(const std::string& name) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  RP_ASSIGN_OR_RETURN(auto snapshots, GetSnapshots(*client_, instance));
  std::vector<SnapshotInfo> out;
  for (const InstanceSnapshot& s : snapshots) out.push_back(ToInfo(s));
  return out;
}

Result<SnapshotInfo> IncusRuntime::CreateSnapshot(const std::string& name,
                                                  const std::string& snapshot) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  std::lock_guard lock(LockFor(instance));
  RP_ASSIGN_OR_RETURN(auto existing, GetSnapshots(*client_, instance));
  for (const InstanceSnapshot& s : existing) {
    if (s.name == snapshot) {
      return Status::AlreadyExists("incus: create snapshot " + snapshot + " of instance " +
                                   instance + ": it exists already");
    }
  }
  RP_RETURN_IF_ERROR(
      incus::CreateSnapshot(*client_, instance, snapshot, options_.operation_timeout));
  RP_ASSIGN_OR_RETURN(auto after, GetSnapshots(*client_, instance));
  for (const InstanceSnapshot& s : after) {
    if (s.name == snapshot) return ToInfo(s);
  }
  return Status::Internal("incus: snapshot " + snapshot + " of instance " + instance +
                          " is missing right after it was made");
}

// The snapshot brings back the instance's config as it was, forwarded ports' devices included;
// those ports are not forwarded any more (the store no longer lists them), so their devices go.
Status IncusRuntime::RestoreSnapshot(const std::string& name, const std::string& snapshot) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  const std::string what = "incus: restore snapshot " + snapshot + " of instance " + instance;
  std::lock_guard lock(LockFor(instance));
  RP_ASSIGN_OR_RETURN(Instance current, GetInstance(*client_, instance, false));
  if (current.running()) return Status::Conflict(what + ": the instance is running; stop it first");
  RP_RETURN_IF_ERROR(
      incus::RestoreSnapshot(*client_, instance, snapshot, options_.operation_timeout));
  RP_ASSIGN_OR_RETURN(Instance restored, GetInstance(*client_, instance, false));
  bool changed = false;
  if (restored.put.contains("devices") && restored.put["devices"].is_object()) {
    Json& devices = restored.put["devices"];
    for (auto it = devices.begin(); it != devices.end();) {
      if (it.key().rfind(kPortDevicePrefix, 0) == 0) {
        it = devices.erase(it);
        changed = true;
      } else {
        ++it;
      }
    }
  }
  if (changed) {
    RP_RETURN_IF_ERROR(PutInstance(*client_, restored, options_.operation_timeout)
                           .WithContext(what + ": drop the snapshot's forwarded ports"));
  }
  return Status::Ok();
}

Status IncusRuntime::DeleteSnapshot(const std::string& name, const std::string& snapshot) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  std::lock_guard lock(LockFor(instance));
  RP_RETURN_IF_ERROR(
      incus::DeleteSnapshot(*client_, instance, snapshot, options_.operation_timeout));
  KeepDiskLimitsEnforced("incus: delete snapshot " + snapshot + " of " + instance);
  return Status::Ok();
}

}  // namespace rockpool::incus
