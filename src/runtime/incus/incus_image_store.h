// IncusImageStore: workspace images in the Incus/LXD image store, found by alias and carrying
// the digest of the recipe they were built from as property "rockpool.recipe".
#pragma once

#include <chrono>
#include <memory>

#include "images/image_store.h"
#include "runtime/incus/incus_client.h"

namespace rockpool::incus {

inline constexpr char kRecipeProperty[] = "rockpool.recipe";

class IncusImageStore final : public ImageStore {
 public:
  explicit IncusImageStore(std::shared_ptr<IncusClient> client,
                           std::chrono::seconds import_timeout = std::chrono::minutes(20));

  Result<std::optional<StoredImage>> Find(const std::string& alias) override;
  Status Import(const std::string& tarball_path, const std::string& alias,
                const std::string& recipe_digest,
                const std::function<void(const std::string&)>& progress) override;

 private:
  Result<std::string> Upload(const std::string& tarball_path, const std::string& recipe_digest);

  std::shared_ptr<IncusClient> client_;
  std::chrono::seconds import_timeout_;
};

}  // namespace rockpool::incus
