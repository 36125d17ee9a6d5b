// rockpool image build [--force]: builds the workspace image when its recipe changed.
#include <cstdio>

#include "cli/commands.h"
#include "cli/steps.h"

namespace rockpool {

void AddImage(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  CLI::App* build = sub.add_subcommand("build", "Build and import the workspace image");
  auto force = std::make_shared<bool>(false);
  build->add_flag("--force", *force, "Rebuild even when the recipe is unchanged");
  build->callback([&ctx, force] { ExitOnError(EnsureImage(ctx, *force)); });
}

}  // namespace rockpool
