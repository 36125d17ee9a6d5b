#include "runtime/incus/incus_image_store.h"

#include <filesystem>

#include "runtime/incus/images.h"
#include "runtime/incus/sha256.h"

namespace rockpool::incus {

IncusImageStore::IncusImageStore(std::shared_ptr<IncusClient> client,
                                 std::chrono::seconds import_timeout)
    : client_(std::move(client)), import_timeout_(import_timeout) {}

Result<std::optional<StoredImage>> IncusImageStore::Find(const std::string& alias) {
  RP_ASSIGN_OR_RETURN(std::optional<std::string> target, GetImageAliasTarget(*client_, alias));
  if (!target) return std::optional<StoredImage>();
  RP_ASSIGN_OR_RETURN(Image image, GetImage(*client_, *target));
  auto recipe = image.properties.find(kRecipeProperty);
  return std::optional<StoredImage>(StoredImage{
      image.fingerprint, recipe != image.properties.end() ? recipe->second : std::string()});
}

// Uploads the tarball; when the daemon already holds these exact bytes (same fingerprint, e.g.
// the alias was lost), records the recipe on that image instead.
Result<std::string> IncusImageStore::Upload(const std::string& tarball_path,
                                            const std::string& recipe_digest) {
  auto uploaded = PostImage(
      *client_, {.tarball_path = tarball_path, .properties = {{kRecipeProperty, recipe_digest}}},
      import_timeout_);
  if (uploaded.ok() || uploaded.status().code() != Code::kAlreadyExists) return uploaded;
  RP_ASSIGN_OR_RETURN(std::string fingerprint, Sha256File(tarball_path));
  auto existing = GetImage(*client_, fingerprint);
  if (!existing.ok()) return uploaded.status();
  existing->properties[kRecipeProperty] = recipe_digest;
  RP_RETURN_IF_ERROR(PatchImage(*client_, fingerprint, {.properties = existing->properties}));
  return fingerprint;
}

Status IncusImageStore::Import(const std::string& tarball_path, const std::string& alias,
                               const std::string& recipe_digest,
                               const std::function<void(const std::string&)>& progress) {
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  std::error_code ec;
  auto size = std::filesystem::file_size(tarball_path, ec);
  if (ec) return Status::NotFound("incus: import image " + tarball_path + ": " + ec.message());
  RP_ASSIGN_OR_RETURN(std::optional<std::string> previous, GetImageAliasTarget(*client_, alias));

  say("uploading " + tarball_path + " (" + std::to_string(size / (1024 * 1024)) + " MiB) to " +
      client_->DaemonName());
  RP_ASSIGN_OR_RETURN(std::string fingerprint, Upload(tarball_path, recipe_digest));
  say("imported image " + fingerprint.substr(0, 12));

  if (!previous) {
    RP_RETURN_IF_ERROR(PostImageAlias(*client_, {.name = alias, .target = fingerprint}));
    say("alias " + alias + " -> " + fingerprint.substr(0, 12));
    return Status::Ok();
  }
  if (*previous == fingerprint) return Status::Ok();
  RP_RETURN_IF_ERROR(PutImageAlias(*client_, alias, {.target = fingerprint}));
  say("alias " + alias + " moved " + previous->substr(0, 12) + " -> " + fingerprint.substr(0, 12));
  RP_RETURN_IF_ERROR(DeleteImage(*client_, *previous, std::chrono::seconds(120)));
  say("deleted previous image " + previous->substr(0, 12));
  return Status::Ok();
}

}  // namespace rockpool::incus
