#include "runtime/incus/instances.h"

namespace rockpool::incus {
namespace {

std::string Path(const std::string& name) { return "/1.0/instances/" + UrlEncode(name); }

std::string Ipv4Of(const Json& state) {
  if (!state.is_object() || !state.contains("network") || !state["network"].is_object()) return "";
  const Json& net = state["network"];
  if (!net.contains("eth0")) return "";
  for (const Json& a : net["eth0"].value("addresses", Json::array())) {
    if (a.value("family", "") == "inet" && a.value("scope", "") == "global") {
      return a.value("address", "");
    }
  }
  return "";
}

Result<Instance> Decode(const Json& m) {
  try {
    Instance out;
    out.name = m.at("name").get<std::string>();
    out.status = m.value("status", "");
    // An instance on a cluster member that does not answer comes with null config and devices.
    if (m.contains("config") && !m["config"].is_null()) out.config = m["config"].get<Config>();
    if (m.contains("devices") && !m["devices"].is_null()) out.devices = m["devices"].get<Devices>();
    for (const char* key : {"architecture", "config", "devices", "ephemeral", "profiles",
                            "stateful", "description"}) {
      if (m.contains(key)) out.put[key] = m[key];
    }
    if (m.contains("state")) out.address = Ipv4Of(m["state"]);
    out.location = m.value("location", "");
    if (out.location == "none") out.location.clear();
    return out;
  } catch (const Json::exception& e) {
    return Status::Internal(std::string("unexpected instance JSON: ") + e.what());
  }
}

}  // namespace

Json ToJson(const InstancesPost& post) {
  Json source = {{"type", post.source.type}};
  if (!post.source.fingerprint.empty()) source["fingerprint"] = post.source.fingerprint;
  if (!post.source.source.empty()) source["source"] = post.source.source;
  return {{"name", post.name},     {"profiles", post.profiles}, {"source", source},
          {"config", post.config}, {"devices", post.devices},   {"type", "container"}};
}

Json ToJson(const InstancePatch& patch) {
  Json out = Json::object();
  if (!patch.config.empty()) out["config"] = patch.config;
  if (!patch.devices.empty()) out["devices"] = patch.devices;
  return out;
}

Result<Instance> GetInstance(IncusClient& client, const std::string& name, bool with_state) {
  auto r = client.Call({.path = Path(name) + (with_state ? "?recursion=1" : "")});
  if (!r.ok()) return r.status().WithContext("incus: get instance " + name);
  auto decoded = Decode(r->metadata);
  if (!decoded.ok()) return decoded.status().WithContext("incus: get instance " + name);
  decoded->etag = r->etag;
  return decoded;
}

Result<std::vector<Instance>> GetInstances(IncusClient& client, bool with_state) {
  auto r =
      client.Call({.path = std::string("/1.0/instances?recursion=") + (with_state ? "2" : "1")});
  if (!r.ok()) return r.status().WithContext("incus: list instances");
  std::vector<Instance> out;
  if (!r->metadata.is_array()) return Status::Internal("incus: list instances: not a list");
  for (const Json& m : r->metadata) {
    auto decoded = Decode(m);
    if (!decoded.ok()) return decoded.status().WithContext("incus: list instances");
    out.push_back(std::move(*decoded));
  }
  return out;
}

Status CreateInstance(IncusClient& client, const InstancesPost& post,
                      std::chrono::seconds timeout) {
  auto r = client.CallAndWait({.method = "POST", .path = "/1.0/instances", .body = ToJson(post)},
                              timeout);
  return r.ok() ? Status::Ok() : r.status().WithContext("incus: create instance " + post.name);
}

Status DeleteInstance(IncusClient& client, const std::string& name, std::chrono::seconds timeout) {
  auto r = client.CallAndWait({.method = "DELETE", .path = Path(name)}, timeout);
  return r.ok() ? Status::Ok() : r.status().WithContext("incus: delete instance " + name);
}

Status RenameInstance(IncusClient& client, const std::string& name, const std::string& new_name,
                      std::chrono::seconds timeout) {
  auto r = client.CallAndWait(
      {.method = "POST", .path = Path(name), .body = Json{{"name", new_name}}}, timeout);
  return r.ok() ? Status::Ok()
                : r.status().WithContext("incus: rename instance " + name + " to " + new_name);
}

Status PatchInstance(IncusClient& client, const std::string& name, const InstancePatch& patch,
                     const std::string& etag) {
  ApiRequest request{.method = "PATCH", .path = Path(name), .body = ToJson(patch)};
  if (!etag.empty()) request.headers.emplace_back("If-Match", etag);
  auto r = client.Call(request);
  return r.ok() ? Status::Ok() : r.status().WithContext("incus: update instance " + name);
}

Status PutInstance(IncusClient& client, const Instance& instance, std::chrono::seconds timeout) {
  ApiRequest request{.method = "PUT", .path = Path(instance.name), .body = instance.put};
  if (!instance.etag.empty()) request.headers.emplace_back("If-Match", instance.etag);
  auto r = client.CallAndWait(request, timeout);
  return r.ok() ? Status::Ok() : r.status().WithContext("incus: update instance " + instance.name);
}

}  // namespace rockpool::incus
