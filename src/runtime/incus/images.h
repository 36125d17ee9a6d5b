// Images and aliases: /1.0/images, /1.0/images/aliases.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "runtime/incus/incus_client.h"

namespace rockpool::incus {

struct Image {
  std::string fingerprint;
  std::map<std::string, std::string> properties;
};

// The fingerprint an alias points at; nullopt when there is no such alias.
Result<std::optional<std::string>> GetImageAliasTarget(IncusClient& client,
                                                       const std::string& alias);
Result<Image> GetImage(IncusClient& client, const std::string& fingerprint);

struct ImagesPost {
  std::string tarball_path;  // unified tarball, streamed as the body
  std::map<std::string, std::string> properties;
};
// Uploads an image and waits (up to `timeout`) until the daemon has unpacked it; returns its
// fingerprint.
Result<std::string> PostImage(IncusClient& client, const ImagesPost& post,
                              std::chrono::seconds timeout);

struct ImageAliasesPost {
  std::string name;
  std::string target;
};
Status PostImageAlias(IncusClient& client, const ImageAliasesPost& post);

struct ImageAliasPut {
  std::string target;
};
Status PutImageAlias(IncusClient& client, const std::string& alias, const ImageAliasPut& put);

struct ImagePatch {
  std::map<std::string, std::string> properties;
};
Status PatchImage(IncusClient& client, const std::string& fingerprint, const ImagePatch& patch);

Status DeleteImage(IncusClient& client, const std::string& fingerprint,
                   std::chrono::seconds timeout);

}  // namespace rockpool::incus
