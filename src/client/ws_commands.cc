#include "client/ws_commands.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "client/run_api.h"
#include "client/ws_actions.h"
#include "core/duration.h"
#include "http/curl_client.h"
#include "sys/process.h"

namespace rockpool::client {
namespace {

// Everything the flags of the `ws` tree fill in.
struct WsArgs {
  ClientFlags flags;
  bool json = false;
  bool no_wait = false;
  int timeout_seconds = 300;
  bool browser = false;
  std::string name;
  std::string image;
  int port = 0;
  std::string label;
  std::string snapshot;
  std::string owner;  // ws ls: only this account's
  // ws create: limits; a flag not given is left to the server's default.
  double cpus = 0;
  int64_t memory_mib = 0;
  int64_t processes = 0;
  int64_t disk_gib = 0;
  // ws create: the repository to clone. The token is never a flag's value (it would land in
  // shell history and in `ps`): it is read from a file or from an environment variable.
  std::string repo;
  std::string ref;
  std::string repo_user;
  std::string token_file;
  std::string token_env;
  // ws create / ws set: "45m", "1h30m", "1800", "0" (never); ws set: "default".
  std::string idle_timeout;
};

// --idle-timeout as seconds; nullopt when not given (create) or "default" (set).
Result<std::optional<int64_t>> AskedIdleTimeout(const std::string& text) {
  if (text.empty() || text == "default") return std::optional<int64_t>();
  RP_ASSIGN_OR_RETURN(int64_t seconds,
                      ParseDurationSeconds(text, "--idle-timeout", kMaxIdleTimeoutSeconds));
  return std::optional<int64_t>(seconds);
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// The repository asked for with --repo and the flags that go with it.
Result<std::optional<SourceRequest>> AskedRepository(const WsArgs& a) {
  if (a.repo.empty()) {
    if (!a.ref.empty() || !a.repo_user.empty() || !a.token_file.empty() || !a.token_env.empty()) {
      return Status::InvalidArgument("--ref, --repo-user and the token flags go with --repo URL");
    }
    return std::optional<SourceRequest>();
  }
  SourceRequest r{a.repo};
  if (!a.ref.empty()) r.ref = a.ref;
  if (!a.repo_user.empty()) r.username = a.repo_user;
  if (!a.token_file.empty() && !a.token_env.empty()) {
    return Status::InvalidArgument("give the token once: --token-file or --token-env");
  }
  if (!a.token_file.empty()) {
    std::stringstream text;
    if (a.token_file == "-") {
      text << std::cin.rdbuf();
    } else {
      std::ifstream in(a.token_file);
      if (!in) return Status::InvalidArgument("--token-file " + a.token_file + ": cannot read it");
      text << in.rdbuf();
    }
    r.token = Trimmed(text.str());
  }
  if (!a.token_env.empty()) {
    const char* v = std::getenv(a.token_env.c_str());
    if (v == nullptr || *v == '\0') {
      return Status::InvalidArgument("--token-env " + a.token_env + ": that variable is not set");
    }
    r.token = v;
  }
  RP_RETURN_IF_ERROR(ValidateSourceRequest(r));
  return std::optional<SourceRequest>(std::move(r));
}

// The limits among `create`'s flags that were given on the command line.
LimitsRequest AskedLimits(const CLI::App& create, const WsArgs& a) {
  LimitsRequest r;
  if (create.count("--cpus") > 0) r.cpus = a.cpus;
  if (create.count("--memory-mib") > 0) r.memory_mib = a.memory_mib;
  if (create.count("--processes") > 0) r.processes = a.processes;
  if (create.count("--disk-gib") > 0) r.disk_gib = a.disk_gib;
  return r;
}

Status OpenInBrowser(const std::string& url) {
  RealProcessRunner runner;
  auto r = runner.Run({{"xdg-open", url}, {}, "", {}});
  if (!r.ok() || r->exit_code != 0) {
    return Status::Unavailable("open " + url +
                               " with xdg-open: " + (r.ok() ? r->output : r.status().message()) +
                               "; open the URL yourself");
  }
  return Status::Ok();
}

// Resolves the configuration, connects and runs `fn` on a WsIo; exits 1 on failure.
void Run(const WsArgs& args, const std::function<Status(WsIo&)>& fn) {
  RunWithApi(args.flags, [&](ApiClient& api, const ClientConfig& config) {
    WsIo io;
    io.api = &api;
    io.config = config;
    io.out = &std::cout;
    io.err = &std::cerr;
    io.json = args.json;
    io.progress_tty = isatty(STDERR_FILENO) != 0;
    io.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    io.now = [] { return std::chrono::steady_clock::now(); };
    io.open_browser = OpenInBrowser;
    return fn(io);
  });
}

WaitOptions Wait(const WsArgs& a) {
  return {!a.no_wait, std::chrono::seconds(a.timeout_seconds), std::chrono::milliseconds(1000)};
}

CLI::App* Leaf(CLI::App& parent, const char* name, const char* help, WsArgs& a) {
  CLI::App* sub = parent.add_subcommand(name, help);
  sub->fallthrough();
  sub->add_option("name", a.name, "Workspace name (or id)")->required();
  return sub;
}

void AddWaitFlags(CLI::App* sub, WsArgs& a) {
  sub->add_flag("--no-wait", a.no_wait, "Return once the request is accepted");
  sub->add_option("--timeout", a.timeout_seconds, "Seconds to wait for the target state")
      ->capture_default_str();
}

void AddPortCommands(CLI::App& ws, const std::shared_ptr<WsArgs>& args) {
  WsArgs& a = *args;
  CLI::App* port = ws.add_subcommand("port", "List, forward and remove a workspace's ports");
  port->fallthrough();
  port->require_subcommand(1);
  Leaf(*port, "ls", "List forwarded ports", a)->callback([args] {
    Run(*args, [&](WsIo& io) { return WsPortList(io, args->name); });
  });
  CLI::App* add = Leaf(*port, "add", "Forward a port (1024-65535) of a running workspace", a);
  add->add_option("port", a.port, "Port inside the workspace")->required();
  add->add_option("--label", a.label, "A label shown beside the port");
  add->callback([args] {
    std::optional<std::string> label;
    if (!args->label.empty()) label = args->label;
    Run(*args, [&](WsIo& io) { return WsPortAdd(io, args->name, args->port, label); });
  });
  CLI::App* rm = Leaf(*port, "rm", "Stop forwarding a port", a);
  rm->add_option("port", a.port, "Port inside the workspace")->required();
  rm->callback(
      [args] { Run(*args, [&](WsIo& io) { return WsPortRemove(io, args->name, args->port); }); });
}

void AddSnapshotCommands(CLI::App& ws, const std::shared_ptr<WsArgs>& args) {
  WsArgs& a = *args;
  CLI::App* snap = ws.add_subcommand("snapshot", "Snapshot, list, restore and delete snapshots");
  snap->fallthrough();
  snap->require_subcommand(1);
  CLI::App* create = Leaf(*snap, "create", "Snapshot a running or stopped workspace's files", a);
  create->add_option("snapshot", a.snapshot, "Snapshot name (default: named after the time)");
  create->callback([args] {
    Run(*args, [&](WsIo& io) { return WsSnapshotCreate(io, args->name, args->snapshot); });
  });
  Leaf(*snap, "ls", "List snapshots, oldest first", a)->callback([args] {
    Run(*args, [&](WsIo& io) { return WsSnapshotList(io, args->name); });
  });
  CLI::App* restore =
      Leaf(*snap, "restore", "Put a stopped workspace's files back to a snapshot", a);
  restore->add_option("snapshot", a.snapshot, "Snapshot name")->required();
  restore->callback([args] {
    Run(*args, [&](WsIo& io) { return WsSnapshotRestore(io, args->name, args->snapshot); });
  });
  CLI::App* rm = Leaf(*snap, "rm", "Delete a snapshot", a);
  rm->add_option("snapshot", a.snapshot, "Snapshot name")->required();
  rm->callback([args] {
    Run(*args, [&](WsIo& io) { return WsSnapshotRemove(io, args->name, args->snapshot); });
  });
}

}  // namespace

void AddWorkspaceCommands(CLI::App& app) {
  auto args = std::make_shared<WsArgs>();
  WsArgs& a = *args;
  CLI::App* ws = app.add_subcommand("ws", "Manage workspaces through the Rockpool API");
  ws->require_subcommand(1);
  ws->add_option("--api-url", a.flags.api_url, "API base URL (env ROCKPOOL_API_URL)");
  ws->add_option("--user", a.flags.username, "Basic auth user (env ROCKPOOL_USERNAME)");
  ws->add_option("--password", a.flags.password, "Basic auth password (env ROCKPOOL_PASSWORD)");
  ws->add_flag("--json", a.json, "Print JSON instead of tables");

  CLI::App* ls = ws->add_subcommand("ls", "List workspaces (a member's own; an admin's all)");
  ls->fallthrough();
  ls->add_option("--owner", a.owner, "Only this account's workspaces");
  ls->callback([args] {
    Run(*args, [&](WsIo& io) {
      return WsList(io, args->owner.empty() ? std::nullopt : std::optional(args->owner));
    });
  });
  CLI::App* create = Leaf(*ws, "create", "Create a workspace and wait until it runs", a);
  create->add_option("--image", a.image, "Image (default: the server's default)");
  create->add_option("--cpus", a.cpus, "CPU time in cores, e.g. 1.5 (default: the server's)");
  create->add_option("--memory-mib", a.memory_mib, "Memory in MiB (default: the server's)");
  create->add_option("--processes", a.processes,
                     "Processes and threads together (default: the server's)");
  create->add_option("--disk-gib", a.disk_gib, "Root disk size in GiB (default: the server's)");
  create->add_option("--repo", a.repo, "https:// git repository to clone into the IDE folder");
  create->add_option("--ref", a.ref, "Branch, tag or commit of --repo (default: its default)");
  create->add_option("--repo-user", a.repo_user, "User name sent with the token");
  create->add_option("--token-file", a.token_file,
                     "Read the repository's access token from this file (- for stdin)");
  create->add_option("--token-env", a.token_env,
                     "Read the repository's access token from this environment variable");
  create->add_option("--idle-timeout", a.idle_timeout,
                     "Stop it after this long without activity: 45m, 1h30m, 1800 (seconds), "
                     "0 for never (default: the server's)");
  AddWaitFlags(create, a);
  create->callback([args, create] {
    const LimitsRequest limits = AskedLimits(*create, *args);
    Run(*args, [&](WsIo& io) -> Status {
      RP_ASSIGN_OR_RETURN(auto idle, AskedIdleTimeout(args->idle_timeout));
      RP_ASSIGN_OR_RETURN(auto repository, AskedRepository(*args));
      return WsCreate(io, args->name, args->image, limits, Wait(*args), idle, repository);
    });
  });
  CLI::App* set = Leaf(*ws, "set", "Change a workspace's settings", a);
  set->add_option("--idle-timeout", a.idle_timeout,
                  "Stop it after this long without activity: 45m, 1h30m, 1800 (seconds), 0 for "
                  "never, or default (the server's)")
      ->required();
  set->callback([args] {
    Run(*args, [&](WsIo& io) -> Status {
      RP_ASSIGN_OR_RETURN(auto idle, AskedIdleTimeout(args->idle_timeout));
      return WsSetIdleTimeout(io, args->name, idle);
    });
  });
  CLI::App* clone = Leaf(*ws, "clone", "Retry the failed clone of a workspace's repository", a);
  AddWaitFlags(clone, a);
  clone->callback(
      [args] { Run(*args, [&](WsIo& io) { return WsClone(io, args->name, Wait(*args)); }); });
  Leaf(*ws, "show", "Show one workspace", a)->callback([args] {
    Run(*args, [&](WsIo& io) { return WsShow(io, args->name); });
  });
  CLI::App* start = Leaf(*ws, "start", "Start a stopped workspace and wait until it runs", a);
  AddWaitFlags(start, a);
  start->callback(
      [args] { Run(*args, [&](WsIo& io) { return WsStart(io, args->name, Wait(*args)); }); });
  CLI::App* stop = Leaf(*ws, "stop", "Stop a workspace (its files are kept)", a);
  AddWaitFlags(stop, a);
  stop->callback(
      [args] { Run(*args, [&](WsIo& io) { return WsStop(io, args->name, Wait(*args)); }); });
  CLI::App* rm = Leaf(*ws, "rm", "Delete a stopped workspace and its files", a);
  AddWaitFlags(rm, a);
  rm->callback(
      [args] { Run(*args, [&](WsIo& io) { return WsRemove(io, args->name, Wait(*args)); }); });
  CLI::App* open = Leaf(*ws, "open", "Print the workspace's IDE URL", a);
  open->add_flag("--browser", a.browser, "Also open it with xdg-open");
  open->callback(
      [args] { Run(*args, [&](WsIo& io) { return WsOpen(io, args->name, args->browser); }); });
  AddPortCommands(*ws, args);
  AddSnapshotCommands(*ws, args);
}

}  // namespace rockpool::client
