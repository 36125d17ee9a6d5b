// rockpool image build [--force]: builds the workspace image when its recipe changed.
// rockpool image ls: the engine's images and the workspaces made from each.
#include <cstdio>

#include "cli/commands.h"
#include "cli/steps.h"
#include "runtime/incus/image_usage.h"
#include "runtime/incus/incus_client.h"

namespace rockpool {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out.empty() ? "-" : out;
}

std::string Megabytes(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

Status ListImages(Context& ctx) {
  RP_RETURN_IF_ERROR(ctx.incus().status());  // the engine and the project answer (or the fix)
  RP_ASSIGN_OR_RETURN(auto engine, ctx.engine());
  auto in_project = engine->InProject(ctx.config().project);
  RP_ASSIGN_OR_RETURN(auto images, incus::ListImageUsage(*engine, *in_project));
  std::printf("%-24s %-12s %-20s %10s  %s\n", "ALIAS", "FINGERPRINT", "CREATED", "SIZE",
              "WORKSPACES");
  for (const incus::ImageUsage& image : images) {
    const std::string created = image.created_at.substr(0, 19);
    std::printf(
        "%-24s %-12s %-20s %10s  %s\n", image.present ? Join(image.aliases).c_str() : "(deleted)",
        image.fingerprint.substr(0, 12).c_str(), image.present ? created.c_str() : "-",
        image.present ? Megabytes(image.size).c_str() : "-", Join(image.workspaces).c_str());
  }
  for (const incus::ImageUsage& image : images) {
    if (!image.present) {
      std::printf(
          "\n(deleted): the image was rebuilt since; those workspaces keep their own "
          "filesystem, new workspaces get the image %s points at\n",
          ctx.config().image.c_str());
      break;
    }
  }
  return Status::Ok();
}

}  // namespace

void AddImage(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  CLI::App* build = sub.add_subcommand("build", "Build and import the workspace image");
  auto force = std::make_shared<bool>(false);
  build->add_flag("--force", *force, "Rebuild even when the recipe is unchanged");
  build->callback([&ctx, force] { ExitOnError(EnsureImage(ctx, *force)); });
  CLI::App* ls = sub.add_subcommand("ls", "List the images and the workspaces made from each");
  ls->callback([&ctx] { ExitOnError(ListImages(ctx)); });
}

}  // namespace rockpool
