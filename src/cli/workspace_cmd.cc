// rockpool workspace create|start|stop|rm|ls: acts directly on the runtime of this host.
#include <cstdio>

#include "cli/commands.h"
#include "core/names.h"
#include "runtime/lifecycle.h"

namespace rockpool {
namespace {

struct Args {
  std::string name;
  std::string image;
};

// Adds `<verb> <name>` running `fn(runtime, name)` after the name is validated.
template <typename Fn>
void AddVerb(CLI::App& parent, Context& ctx, const char* verb, const char* help,
             std::shared_ptr<Args> args, Fn fn) {
  CLI::App* sub = parent.add_subcommand(verb, help);
  sub->add_option("name", args->name, "Workspace name")->required();
  sub->callback([&ctx, args, fn] {
    ExitOnError(ValidateWorkspaceName(args->name));
    auto runtime = ctx.runtime();
    ExitOnError(runtime.status());
    ExitOnError(fn(**runtime, args->name));
  });
}

Status PrintList(Runtime& runtime) {
  RP_ASSIGN_OR_RETURN(auto list, runtime.List());
  std::printf("%-32s %-10s %s\n", "NAME", "STATUS", "ADDRESS");
  for (const auto& i : list) {
    std::printf("%-32s %-10s %s\n", i.name.c_str(), i.status.c_str(), i.address.c_str());
  }
  return Status::Ok();
}

}  // namespace

void AddWorkspace(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  auto args = std::make_shared<Args>();
  args->image = ctx.config().image;
  AddVerb(sub, ctx, "create", "Create and start a workspace, wait until its IDE answers", args,
          [&ctx, args](Runtime& rt, const std::string& name) {
            RP_RETURN_IF_ERROR(CreateWorkspaceInstance(rt, name, args->image));
            std::printf("workspace %s is running: %s\n", name.c_str(),
                        ctx.config().WorkspaceUrl(name).c_str());
            return Status::Ok();
          });
  sub.get_subcommand("create")->add_option("--image", args->image, "Image alias");
  AddVerb(sub, ctx, "start", "Start a stopped workspace, wait until its IDE answers", args,
          [&ctx](Runtime& rt, const std::string& name) {
            RP_RETURN_IF_ERROR(StartWorkspaceInstance(rt, name));
            std::printf("workspace %s is running: %s\n", name.c_str(),
                        ctx.config().WorkspaceUrl(name).c_str());
            return Status::Ok();
          });
  AddVerb(sub, ctx, "stop", "Stop a workspace (its files are kept)", args,
          [](Runtime& rt, const std::string& name) {
            RP_ASSIGN_OR_RETURN(auto info, rt.Inspect(name));
            RP_RETURN_IF_ERROR(rt.Stop(info.name));
            std::printf("workspace %s is stopped\n", name.c_str());
            return Status::Ok();
          });
  AddVerb(sub, ctx, "rm", "Delete a workspace and everything it holds", args,
          [](Runtime& rt, const std::string& name) {
            RP_ASSIGN_OR_RETURN(auto info, rt.Inspect(name));
            RP_RETURN_IF_ERROR(rt.Remove(info.name));
            std::printf("workspace %s is deleted\n", name.c_str());
            return Status::Ok();
          });
  CLI::App* ls = sub.add_subcommand("ls", "List workspaces on this host");
  ls->callback([&ctx] {
    auto runtime = ctx.runtime();
    ExitOnError(runtime.status());
    ExitOnError(PrintList(**runtime));
  });
}

}  // namespace rockpool
