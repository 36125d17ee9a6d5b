#include "runtime/incus/images.h"

namespace rockpool::incus {
namespace {

std::string ImagePath(const std::string& fingerprint) {
  return "/1.0/images/" + UrlEncode(fingerprint);
}
std::string AliasPath(const std::string& alias) {
  return "/1.0/images/aliases/" + UrlEncode(alias);
}

}  // namespace

Result<std::optional<std::string>> GetImageAliasTarget(IncusClient& client,
                                                       const std::string& alias) {
  auto r = client.Call({.path = AliasPath(alias)});
  if (!r.ok() && r.status().code() == Code::kNotFound) return std::optional<std::string>();
  if (!r.ok()) return r.status().WithContext("incus: get image alias " + alias);
  if (!r->metadata.is_object() || !r->metadata.contains("target")) {
    return Status::Internal("incus: get image alias " + alias + ": answer has no target");
  }
  return std::optional<std::string>(r->metadata.value("target", ""));
}

Result<Image> GetImage(IncusClient& client, const std::string& fingerprint) {
  auto r = client.Call({.path = ImagePath(fingerprint)});
  if (!r.ok()) return r.status().WithContext("incus: get image " + fingerprint);
  try {
    Image image;
    image.fingerprint = r->metadata.at("fingerprint").get<std::string>();
    image.properties = r->metadata.value("properties", std::map<std::string, std::string>{});
    return image;
  } catch (const Json::exception& e) {
    return Status::Internal("incus: get image " + fingerprint + ": " + e.what());
  }
}

Result<std::string> PostImage(IncusClient& client, const ImagesPost& post,
                              std::chrono::seconds timeout) {
  std::string context = "incus: import image " + post.tarball_path;
  auto prefix = client.HeaderPrefix();
  if (!prefix.ok()) return prefix.status().WithContext(context);
  std::string properties;
  for (const auto& [k, v] : post.properties) {
    properties += (properties.empty() ? "" : "&") + UrlEncode(k) + "=" + UrlEncode(v);
  }
  ApiRequest request{.method = "POST",
                     .path = "/1.0/images",
                     .body_file = post.tarball_path,
                     .headers = {{"Content-Type", "application/octet-stream"},
                                 {*prefix + "properties", properties}},
                     .timeout = std::chrono::minutes(30)};
  auto op = client.CallAndWait(request, timeout);
  if (!op.ok()) return op.status().WithContext(context);
  const Json meta = op->value("metadata", Json::object());
  std::string fingerprint = meta.is_object() ? meta.value("fingerprint", "") : "";
  if (fingerprint.empty()) return Status::Internal(context + ": operation gave no fingerprint");
  return fingerprint;
}

Status PostImageAlias(IncusClient& client, const ImageAliasesPost& post) {
  auto r = client.Call({.method = "POST",
                        .path = "/1.0/images/aliases",
                        .body = Json{{"name", post.name}, {"target", post.target}}});
  return r.ok() ? Status::Ok() : r.status().WithContext("incus: create image alias " + post.name);
}

Status PutImageAlias(IncusClient& client, const std::string& alias, const ImageAliasPut& put) {
  auto r = client.Call({.method = "PUT",
                        .path = AliasPath(alias),
                        .body = Json{{"target", put.target}, {"description", ""}}});
  return r.ok() ? Status::Ok() : r.status().WithContext("incus: move image alias " + alias);
}

Status PatchImage(IncusClient& client, const std::string& fingerprint, const ImagePatch& patch) {
  auto r = client.Call({.method = "PATCH",
                        .path = ImagePath(fingerprint),
                        .body = Json{{"properties", patch.properties}}});
  return r.ok() ? Status::Ok() : r.status().WithContext("incus: update image " + fingerprint);
}

Status DeleteImage(IncusClient& client, const std::string& fingerprint,
                   std::chrono::seconds timeout) {
  auto r = client.CallAndWait({.method = "DELETE", .path = ImagePath(fingerprint)}, timeout);
  return r.ok() ? Status::Ok() : r.status().WithContext("incus: delete image " + fingerprint);
}

}  // namespace rockpool::incus
