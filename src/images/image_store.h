// ImageStore: where built workspace images live (the engine's image store). The builder asks
// whether an image built from the current recipe is there, and imports a new one.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/status.h"

namespace rockpool {

struct StoredImage {
  std::string fingerprint;
  std::string recipe_digest;  // image property "rockpool.recipe"; empty if not ours
};

class ImageStore {
 public:
  virtual ~ImageStore() = default;
  // nullopt when no image has that alias.
  virtual Result<std::optional<StoredImage>> Find(const std::string& alias) = 0;
  // Imports a unified image tarball (metadata.yaml + rootfs/) and points `alias` at it,
  // recording `recipe_digest` as property "rockpool.recipe". The image the alias pointed at
  // before is deleted once the new one is in place. `progress` receives short status lines.
  virtual Status Import(const std::string& tarball_path, const std::string& alias,
                        const std::string& recipe_digest,
                        const std::function<void(const std::string&)>& progress) = 0;
};

}  // namespace rockpool
