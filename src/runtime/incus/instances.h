// Instances: GET/POST/PUT/PATCH/DELETE /1.0/instances[/<name>].
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "runtime/incus/incus_client.h"

namespace rockpool::incus {

using Config = std::map<std::string, std::string>;
using Device = std::map<std::string, std::string>;
using Devices = std::map<std::string, Device>;

struct InstanceSource {
  std::string type;         // "image" or "copy"
  std::string fingerprint;  // type image
  std::string source;       // type copy: the instance copied
};

struct InstancesPost {
  std::string name;
  std::vector<std::string> profiles;
  InstanceSource source;
  Config config;
  Devices devices;
};
Json ToJson(const InstancesPost& post);

// PATCH merges: keys given replace or add, nothing is removed.
struct InstancePatch {
  Config config;
  Devices devices;
};
Json ToJson(const InstancePatch& patch);

struct Instance {
  std::string name;
  std::string status;   // "Running", "Stopped", ...
  Config config;        // local config (labels)
  Devices devices;      // local devices
  std::string etag;     // of the plain GET, for If-Match
  Json put;             // the writable fields (InstancePut), for a full PUT
  std::string address;  // IPv4 of eth0 when state was asked for and known
  // The cluster member it lives on; "" on a daemon that is not clustered (which says "none").
  std::string location;

  bool running() const { return status == "Running"; }
  // The value of config key `key`, "" when it is not set.
  std::string Label(const std::string& key) const {
    auto it = config.find(key);
    return it == config.end() ? "" : it->second;
  }
};

// GET /1.0/instances/<name>; with `with_state`, also the state (address). NotFound if absent.
Result<Instance> GetInstance(IncusClient& client, const std::string& name, bool with_state);
// GET /1.0/instances?recursion=2 (with state) or recursion=1.
Result<std::vector<Instance>> GetInstances(IncusClient& client, bool with_state);
Status CreateInstance(IncusClient& client, const InstancesPost& post, std::chrono::seconds timeout);
Status DeleteInstance(IncusClient& client, const std::string& name, std::chrono::seconds timeout);
// POST /1.0/instances/<name> {"name": new_name}: renames a stopped instance. NotFound if absent.
Status RenameInstance(IncusClient& client, const std::string& name, const std::string& new_name,
                      std::chrono::seconds timeout);
// `etag` may be empty (no If-Match). Conflict when the instance changed since `etag`.
Status PatchInstance(IncusClient& client, const std::string& name, const InstancePatch& patch,
                     const std::string& etag);
// Replaces the writable fields with `instance.put` (If-Match `instance.etag`).
Status PutInstance(IncusClient& client, const Instance& instance, std::chrono::seconds timeout);

}  // namespace rockpool::incus
