// The deployment's LXD project (runtime/incus/projects.h): made on `up` and on `serve`, and
// the instances of a deployment from before projects moved into it.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "cli/steps.h"
#include "runtime/incus/incus_client.h"
#include "runtime/incus/instance_names.h"
#include "runtime/incus/instances.h"
#include "runtime/incus/projects.h"
#include "store/sqlite_db.h"

namespace rockpool {
namespace {

// The instance names of the workspaces in this deployment's store; empty without a store. (A
// PostgreSQL store came after projects: its deployment has nothing to adopt.)
Result<std::set<std::string>> StoredInstances(const Config& c) {
  std::set<std::string> out;
  if (c.postgres_store() || !std::filesystem::exists(c.database())) return out;
  RP_ASSIGN_OR_RETURN(auto db, sqlite::Connection::Open(c.database()));
  RP_ASSIGN_OR_RETURN(auto names, db->Prepare("SELECT name FROM workspaces"));
  while (true) {
    RP_ASSIGN_OR_RETURN(bool row, names->Step("list the stored workspaces"));
    if (!row) break;
    out.insert(incus::InstanceName(names->Text(0)));
  }
  return out;
}

// A deployment from before projects kept its instances in the default project. Its own
// workspaces (those in its store) move into its project, and with them the templates and
// spares, which only that deployment made. Instances of anyone else stay where they are.
Status AdoptFromDefaultProject(Context& ctx, incus::IncusClient& engine,
                               const std::function<Status()>& before_moving) {
  const Config& c = ctx.config();
  RP_ASSIGN_OR_RETURN(std::set<std::string> ours, StoredInstances(c));
  if (ours.empty()) return Status::Ok();
  auto is_workspace = [&](const std::string& instance) { return ours.count(instance) > 0; };
  RP_ASSIGN_OR_RETURN(auto in_default, incus::GetInstances(*engine.InProject("default"), false));
  if (std::none_of(in_default.begin(), in_default.end(), [&](const incus::Instance& i) {
        return i.Label(incus::kLabelManaged) == "true" && is_workspace(i.name);
      })) {
    return Status::Ok();
  }
  if (before_moving) RP_RETURN_IF_ERROR(before_moving());
  const auto timeout = std::chrono::seconds(300);
  RP_ASSIGN_OR_RETURN(auto moved,
                      incus::AdoptInstances(engine, "default", c.project, is_workspace, timeout));
  if (moved.empty()) return Status::Ok();
  auto is_template_or_spare = [](const std::string& instance) {
    return instance.rfind("rp-tpl-", 0) == 0 || instance.rfind("rps-", 0) == 0;
  };
  RP_ASSIGN_OR_RETURN(auto also, incus::AdoptInstances(engine, "default", c.project,
                                                       is_template_or_spare, timeout));
  moved.insert(moved.end(), also.begin(), also.end());
  for (const std::string& name : moved) {
    std::printf("moved instance %s from the default LXD project into %s\n", name.c_str(),
                c.project.c_str());
  }
  return Status::Ok();
}

}  // namespace

Status EnsureProject(Context& ctx, const std::function<Status()>& before_moving) {
  const Config& c = ctx.config();
  RP_ASSIGN_OR_RETURN(auto engine, ctx.engine());
  incus::ProjectSpec spec{.name = c.project,
                          .owner = c.state_dir,
                          .pool = c.pool,
                          .network = c.bridge,
                          .subnet = c.subnet};
  RP_RETURN_IF_ERROR(incus::EnsureProject(*engine, spec).WithContext("the deployment's project"));
  return AdoptFromDefaultProject(ctx, *engine, before_moving)
      .WithContext("move this deployment's instances into LXD project " + c.project);
}

}  // namespace rockpool
