#include "runtime/incus/snapshots.h"

#include <algorithm>

namespace rockpool::incus {
namespace {

std::string InstancePath(const std::string& instance) {
  return "/1.0/instances/" + UrlEncode(instance);
}

std::string SnapshotsPath(const std::string& instance) {
  return InstancePath(instance) + "/snapshots";
}

std::string What(const std::string& verb, const std::string& instance,
                 const std::string& snapshot) {
  return "incus: " + verb + " snapshot " + snapshot + " of instance " + instance;
}

// Older daemons answer "<instance>/<snapshot>" as the name; newer ones the snapshot's alone.
std::string OwnName(const std::string& name) {
  auto slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

}  // namespace

Result<std::vector<InstanceSnapshot>> GetSnapshots(IncusClient& client,
                                                   const std::string& instance) {
  const std::string what = "incus: list snapshots of instance " + instance;
  auto r = client.Call({.path = SnapshotsPath(instance) + "?recursion=1"});
  if (!r.ok()) return r.status().WithContext(what);
  if (!r->metadata.is_array()) return Status::Internal(what + ": not a list");
  std::vector<InstanceSnapshot> out;
  try {
    for (const Json& m : r->metadata) {
      out.push_back({OwnName(m.at("name").get<std::string>()), m.value("created_at", "")});
    }
  } catch (const Json::exception& e) {
    return Status::Internal(what + ": unexpected snapshot JSON: " + e.what());
  }
  // RFC 3339 times of one daemon sort as text.
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  return out;
}

Status CreateSnapshot(IncusClient& client, const std::string& instance, const std::string& snapshot,
                      std::chrono::seconds timeout) {
  auto r = client.CallAndWait({.method = "POST",
                               .path = SnapshotsPath(instance),
                               .body = Json{{"name", snapshot}, {"stateful", false}}},
                              timeout);
  return r.ok() ? Status::Ok() : r.status().WithContext(What("create", instance, snapshot));
}

Status RestoreSnapshot(IncusClient& client, const std::string& instance,
                       const std::string& snapshot, std::chrono::seconds timeout) {
  auto r = client.CallAndWait(
      {.method = "PUT", .path = InstancePath(instance), .body = Json{{"restore", snapshot}}},
      timeout);
  return r.ok() ? Status::Ok() : r.status().WithContext(What("restore", instance, snapshot));
}

Status DeleteSnapshot(IncusClient& client, const std::string& instance, const std::string& snapshot,
                      std::chrono::seconds timeout) {
  auto r = client.CallAndWait(
      {.method = "DELETE", .path = SnapshotsPath(instance) + "/" + UrlEncode(snapshot)}, timeout);
  return r.ok() ? Status::Ok() : r.status().WithContext(What("delete", instance, snapshot));
}

}  // namespace rockpool::incus
