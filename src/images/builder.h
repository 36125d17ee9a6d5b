// Builds the workspace image from its recipe (images/linux) and imports it into the engine's
// image store, unless the store already holds an image built from the same recipe.
#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "images/image_store.h"
#include "sys/process.h"

namespace rockpool {

inline constexpr char kDefaultImageAlias[] = "rockpool-workspace";

struct ImageBuildOptions {
  std::string recipe_dir;  // holds build.sh and digest.sh
  std::string work_dir;    // the recipe writes its tarball here; removed after import
  std::string alias = kDefaultImageAlias;
  bool force = false;  // rebuild even when the stored image has the same recipe digest
};

using ImageProgress = std::function<void(const std::string&)>;

// The recipe's digest (sha256 hex), as printed by <recipe_dir>/digest.sh.
Result<std::string> RecipeDigest(const std::string& recipe_dir, ProcessRunner& runner);

// Computes the recipe digest; when the store's image under `alias` has it (and !force) reports
// "image <alias> is up to date (recipe <short digest>)" and returns. Otherwise runs
// <recipe_dir>/build.sh <work_dir>, streaming its lines to `progress`, imports the tarball
// under `alias` with the digest, and removes the tarball.
Status BuildImage(const ImageBuildOptions& options, ProcessRunner& runner, ImageStore& store,
                  const ImageProgress& progress);

}  // namespace rockpool
