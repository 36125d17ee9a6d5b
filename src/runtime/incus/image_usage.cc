#include "runtime/incus/image_usage.h"

#include <algorithm>
#include <map>

#include "runtime/incus/instance_names.h"
#include "runtime/incus/instances.h"

namespace rockpool::incus {
namespace {

bool IsWorkspace(const Instance& i) {
  return i.Label(kLabelManaged) == "true" && !i.Label(kLabelWorkspace).empty() &&
         i.Label(kLabelTemplate) != "true" && i.Label(kLabelSpare) != "true";
}

Result<ImageUsage> DecodeImage(const Json& j) {
  if (!j.is_object() || !j.contains("fingerprint")) {
    return Status::Internal("incus: list images: an entry has no fingerprint");
  }
  ImageUsage image;
  image.fingerprint = j.value("fingerprint", "");
  for (const Json& alias : j.value("aliases", Json::array())) {
    if (alias.is_object()) image.aliases.push_back(alias.value("name", ""));
  }
  const Json properties = j.value("properties", Json::object());
  if (properties.is_object()) image.description = properties.value("description", "");
  image.created_at = j.value("created_at", "");
  if (image.created_at.empty() || image.created_at.starts_with("0001-")) {
    image.created_at = j.value("uploaded_at", "");
  }
  image.size = j.value("size", int64_t{0});
  return image;
}

}  // namespace

Result<std::vector<ImageUsage>> ListImageUsage(IncusClient& images, IncusClient& instances_in) {
  auto listed = images.Call({.path = "/1.0/images?recursion=1"});
  if (!listed.ok()) return listed.status().WithContext("incus: list images");
  if (!listed->metadata.is_array()) return Status::Internal("incus: list images: not a list");
  std::vector<ImageUsage> out;
  std::map<std::string, size_t> by_fingerprint;
  for (const Json& j : listed->metadata) {
    RP_ASSIGN_OR_RETURN(ImageUsage image, DecodeImage(j));
    by_fingerprint[image.fingerprint] = out.size();
    out.push_back(std::move(image));
  }
  RP_ASSIGN_OR_RETURN(std::vector<Instance> instances, GetInstances(instances_in, false));
  for (const Instance& i : instances) {
    if (!IsWorkspace(i)) continue;
    const std::string fingerprint = i.Label(kLabelImage);
    auto it = by_fingerprint.find(fingerprint);
    if (it == by_fingerprint.end()) {
      it = by_fingerprint.emplace(fingerprint, out.size()).first;
      out.push_back({.fingerprint = fingerprint, .present = false});
    }
    out[it->second].workspaces.push_back(i.Label(kLabelWorkspace));
  }
  for (ImageUsage& image : out) std::sort(image.workspaces.begin(), image.workspaces.end());
  std::stable_sort(out.begin(), out.end(), [](const ImageUsage& a, const ImageUsage& b) {
    return a.present > b.present;  // held images first, in the daemon's order
  });
  return out;
}

}  // namespace rockpool::incus
