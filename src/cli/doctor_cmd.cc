// rockpool doctor: one line per thing Rockpool needs, and per protection it relies on (files,
// sockets, authentication, firewall, instance isolation, throttling), with the fix for each
// missing one.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "auth/file_credential_source.h"
#include "cli/commands.h"
#include "runtime/incus/hardening.h"
#include "runtime/incus/incus_client.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/projects.h"
#include "runtime/tart/tart_cli.h"
#include "store/pg_store.h"
#include "store/sqlite_store.h"
#include "sys/ports.h"
#include "sys/private_dir.h"
#include "worker/leadership.h"

namespace rockpool {
namespace {

struct Finding {
  bool ok = false;
  std::string detail;  // what was found
  std::string fix;     // what to run when !ok, or what to change when `warn`
  bool warn = false;   // ok, but by a setting that gives up a protection
};

struct Check {
  const char* what;
  Finding (*run)(Context&);
};

// The engine's answer to GET `path`, through the adapter's client (which reads LXD's envelope).
Result<nlohmann::json> EngineGet(Context& ctx, const std::string& path) {
  auto client = incus::IncusClient::ForSocket(ctx.engine_socket());
  RP_ASSIGN_OR_RETURN(auto r, client->Call({.path = path, .timeout = std::chrono::seconds(5)}));
  return r.metadata;
}

Finding CheckEngine(Context& ctx) {
  auto info = EngineGet(ctx, "/1.0");
  if (!info.ok()) {
    return {false, "no answer on " + ctx.engine_socket(),
            "start the daemon: ./scripts/up.sh (or: lxd --group root --logfile "
            "/var/log/rockpool/lxd.log &)"};
  }
  auto env = (*info)["environment"];
  return {true, env.value("server", "lxd") + " " + env.value("server_version", "?") + " on " +
                    ctx.engine_socket()};
}

// One server, or a cluster whose members all answer heartbeats. A member that stopped answering
// is named with LXD's own account of it ("No heartbeat for 12s").
Finding CheckCluster(Context& ctx) {
  auto cluster = EngineGet(ctx, "/1.0/cluster");
  if (!cluster.ok()) return {false, "no answer about clustering: " + cluster.status().message()};
  if (!cluster->value("enabled", false)) return {true, "one server (not clustered)"};
  auto members = EngineGet(ctx, "/1.0/cluster/members?recursion=1");
  if (!members.ok() || !members->is_array()) {
    return {false,
            "cluster members unknown: " + (members.ok()
                                               ? std::string("the engine's answer is not a list")
                                               : members.status().message()),
            "lxc cluster list (on a member that answers)"};
  }
  std::string detail;
  std::string down;
  for (const auto& m : *members) {
    const std::string name = m.value("server_name", "?");
    const std::string status = m.value("status", "?");
    detail += (detail.empty() ? "" : ", ") + name + " " + status;
    if (status != "Online") {
      detail += " (" + m.value("message", "") + ")";
      down += (down.empty() ? "" : " ") + name;
    }
  }
  detail = std::to_string(members->size()) + " members: " + detail;
  if (!down.empty()) {
    return {false, detail,
            "start LXD again on " + down + ", or remove it: lxc cluster remove <member> --force"};
  }
  return {true, detail};
}

Finding CheckPool(Context& ctx) {
  const auto& pool = ctx.config().pool;
  auto info = EngineGet(ctx, "/1.0/storage-pools/" + pool);
  if (!info.ok()) {
    return {false, "storage pool \"" + pool + "\" missing",
            "lxc storage create " + pool + " btrfs size=30GiB (or run ./scripts/up.sh)"};
  }
  return {true, "storage pool \"" + pool + "\" (" + info->value("driver", "?") + ")"};
}

Finding CheckBridge(Context& ctx) {
  const auto& bridge = ctx.config().bridge;
  auto info = EngineGet(ctx, "/1.0/networks/" + bridge);
  if (!info.ok()) {
    return {
        false, "bridge \"" + bridge + "\" missing",
        "lxc network create " + bridge +
            " ipv4.address=10.187.42.1/24 ipv4.nat=true ipv6.address=none (or ./scripts/up.sh)"};
  }
  auto cfg = (*info)["config"];
  return {true, "bridge \"" + bridge + "\" " + cfg.value("ipv4.address", "?") +
                    (cfg.value("ipv4.nat", "") == "true" ? " with NAT" : " without NAT")};
}

Finding CheckProject(Context& ctx) {
  const Config& c = ctx.config();
  auto client = incus::IncusClient::ForSocket(ctx.engine_socket());
  Status owned = incus::CheckProject(*client, c.project, c.state_dir);
  if (!owned.ok()) return {false, owned.message(), "rockpool up (or set ROCKPOOL_PROJECT)"};
  return {true,
          "LXD project \"" + c.project + "\", owned by this deployment (" + c.state_dir + ")"};
}

Finding CheckImage(Context& ctx) {
  const auto& image = ctx.config().image;
  auto info = EngineGet(ctx, "/1.0/images/aliases/" + image);
  if (!info.ok()) return {false, "image \"" + image + "\" missing", "rockpool image build"};
  return {true, "image \"" + image + "\" (" + info->value("target", "?").substr(0, 12) + ")"};
}

Finding CheckSockets(Context& ctx) {
  auto dir = ctx.config().socket_dir();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || access(dir.c_str(), W_OK) != 0) {
    return {false, dir + " is not writable", "run as root, or set ROCKPOOL_STATE_DIR"};
  }
  return {true, "workspace sockets in " + dir};
}

Finding CheckCaddy(Context& ctx) {
  if (!std::filesystem::exists("/usr/bin/caddy")) {
    return {false, "caddy not installed", "apt-get install caddy"};
  }
  if (!ctx.proxy().Ping().ok()) {
    return {false, "caddy admin API not answering on " + ctx.config().caddy_admin(), "rockpool up"};
  }
  auto current = ctx.proxy().IsBootstrapped(ctx.proxy_config());
  if (!current.ok() || !*current) {
    return {false, "caddy runs without Rockpool's routes", "rockpool up"};
  }
  return {true, "caddy on " + ctx.config().caddy_admin() + " with Rockpool's routes"};
}

Finding CheckPorts(Context& ctx) {
  std::string detail;
  for (int port : {ctx.config().control_port, ctx.config().workspace_port}) {
    auto owner = FindListener(port);
    if (owner && owner->program != "caddy") {
      return {false, DescribeListener(port, *owner),
              "stop that program, or choose other ports with ROCKPOOL_CONTROL_PORT / "
              "ROCKPOOL_WORKSPACE_PORT"};
    }
    detail +=
        (detail.empty() ? "" : ", ") + std::to_string(port) + (owner ? " (caddy)" : " (free)");
  }
  return {true, "ports " + detail};
}

// --- protections: each one the isolation model relies on, in place or not

Finding CheckCredentials(Context& ctx) {
  auth::FileCredentialSource source(ctx.config().auth_file());
  auto account = source.Current();
  if (!account.ok()) return {false, account.status().message(), "rockpool up"};
  return {true,
          "user \"" + account->username + "\"; the control plane authenticates every request"};
}

Finding CheckPrivateFiles(Context& ctx) {
  const Config& c = ctx.config();
  std::vector<std::string> exposed;
  for (const std::string& dir : {c.state_dir, c.log_dir, c.caddy_dir()}) {
    auto found = ExposedPaths(dir);
    if (found.ok()) exposed.insert(exposed.end(), found->begin(), found->end());
  }
  if (!exposed.empty()) {
    std::string list;
    for (const auto& p : exposed) list += (list.empty() ? "" : ", ") + p;
    return {false, "open to other users: " + list, "rockpool up (makes them 0700 / 0600)"};
  }
  return {true, c.state_dir + ", " + c.log_dir + " and their files are root's alone"};
}

Finding CheckRootSockets(Context& ctx) {
  const Config& c = ctx.config();
  std::string detail;
  std::vector<std::string> sockets = {c.caddy_dir() + "/admin.sock"};
  for (int process = 1; process <= c.serve_processes; ++process) {
    sockets.insert(sockets.end(), {c.control_socket(process), c.local_socket(process)});
  }
  for (const std::string& socket : sockets) {
    struct stat st {};
    if (stat(socket.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) {
      return {false, socket + " missing", "rockpool up"};
    }
    if (st.st_uid != 0 || (st.st_mode & 077) != 0) {
      return {false, socket + " is open to other users", "rockpool down && rockpool up"};
    }
    detail += (detail.empty() ? "" : ", ") + socket;
  }
  return {true, "control plane and Caddy admin only on root's sockets: " + detail};
}

Finding CheckFirewall(Context& ctx) {
  auto firewall = ctx.firewall();
  if (!firewall.ok()) return {false, firewall.status().message(), "./scripts/up.sh"};
  auto check = (*firewall)->Check();
  if (!check.ok()) return {false, check.status().message(), "apt-get install nftables"};
  return {check->in_place, check->detail, check->fix};
}

// One of the instance protections incus::CheckHardening reports, by name.
Finding CheckInstances(Context& ctx, const std::string& what) {
  incus::IncusRuntimeOptions options;
  options.network = ctx.config().bridge;
  auto client = incus::IncusClient::ForSocket(ctx.engine_socket(), ctx.config().project);
  auto checks = incus::CheckHardening(*client, incus::HardeningOf(options));
  if (!checks.ok()) return {false, checks.status().message(), "rockpool doctor after the engine"};
  for (const auto& c : *checks) {
    if (c.what == what) return {c.ok, c.detail, c.fix};
  }
  return {false, "not checked", "a newer rockpool"};
}

Finding CheckNicIsolation(Context& ctx) { return CheckInstances(ctx, "nic isolation"); }
Finding CheckIdmap(Context& ctx) { return CheckInstances(ctx, "isolated idmap"); }
Finding CheckDevlxd(Context& ctx) { return CheckInstances(ctx, "devlxd"); }

// Port mode (the default) serves each workspace IDE and forwarded port on an origin of its own;
// "off" serves them all on one, where a page of one workspace can script every other's IDE.
Finding CheckOrigins(Context& ctx) {
  auto origins = ctx.config().Origins();
  if (!origins.ok()) return {false, origins.status().message(), "fix ROCKPOOL_ORIGIN_PORTS"};
  if (!origins->enabled()) {
    return {true,
            "ROCKPOOL_ORIGIN_PORTS=off: every workspace is served on paths of :" +
                std::to_string(ctx.config().workspace_port) +
                ", one origin, so a page of one workspace can script the others' IDEs",
            "unset ROCKPOOL_ORIGIN_PORTS (or give it a range) and rockpool up", true};
  }
  const std::string range =
      std::to_string(origins->first_port) + "-" + std::to_string(origins->last_port);
  for (const auto& [port, owner] : FindListeners(origins->first_port, origins->last_port)) {
    if (owner.program != "caddy") {
      return {false, DescribeListener(port, owner) + ", inside the origins' range " + range,
              "stop that program, or choose another range with ROCKPOOL_ORIGIN_PORTS"};
    }
  }
  return {true, "each workspace IDE and forwarded port on an origin of its own, ports " + range};
}

Finding CheckThrottle(Context& ctx) {
  const Config& c = ctx.config();
  char detail[200];
  std::snprintf(detail, sizeof detail,
                "sign-ins: 5 failures in 10 min lock an address out (30 s, doubling to 15 min); "
                "API: %.0f requests/s per address, bursts of %.0f",
                c.api_requests_per_second, c.api_burst);
  const bool ok = c.api_requests_per_second > 0 && c.api_burst >= 1;
  return {ok, detail, "set ROCKPOOL_API_RATE and ROCKPOOL_API_BURST to positive numbers"};
}

// Tart's and Packer's first line of `--version`, or the fix when the command is missing.
Finding CheckCommand(const std::string& command, const std::string& install) {
  auto r = tart::RunTart(command, {"--version"}, {});
  if (!r.ok() || r->exit_code != 0) {
    return {false, command + " not found or not working", install};
  }
  std::string version = r->out.substr(0, r->out.find('\n'));
  return {true, command + " " + version};
}

Finding CheckTart(Context& ctx) {
  return CheckCommand(ctx.config().tart,
                      "brew install cirruslabs/cli/tart (macOS on Apple Silicon), or set "
                      "ROCKPOOL_TART to the tart command");
}

Finding CheckPacker(Context&) {
  return CheckCommand("packer",
                      "brew install hashicorp/tap/packer, then: packer init images/macos && "
                      "packer build images/macos (builds the image)");
}

Finding CheckTartImage(Context& ctx) {
  auto runtime = ctx.runtime();
  if (!runtime.ok()) return {false, runtime.status().message(), "see the tart line above"};
  Status image = (*runtime)->CheckImage(ctx.config().image);
  if (!image.ok()) return {false, image.message(), "packer build images/macos"};
  return {true, "image \"" + ctx.config().image + "\" is a Tart VM here"};
}

Finding CheckTartHostAccess(Context& ctx) {
  if (ctx.config().tart_allow_host_access) {
    return {true,
            "no host firewall for Tart VMs: workspaces can reach this Mac's services (accepted "
            "by ROCKPOOL_TART_ALLOW_HOST_ACCESS=1)"};
  }
  return {false,
          "no host firewall for Tart VMs: workspaces could reach this Mac's services, so serve "
          "refuses to run",
          "accept it with ROCKPOOL_TART_ALLOW_HOST_ACCESS=1 (only on a Mac that serves nothing "
          "else)"};
}

// The store, its schema, and which control-plane process leads (worker/leadership.h).
Finding CheckStore(Context& ctx) {
  const Config& c = ctx.config();
  if (Status st = c.CheckDatabase(); !st.ok())
    return {false, st.message(), "fix ROCKPOOL_DATABASE_URL"};
  if (!c.postgres_store() && !std::filesystem::exists(c.database())) {
    return {true, "SQLite " + c.database() + " (made by the first serve)"};
  }
  SystemClock clock;
  StoreOptions read_only;
  read_only.migrate = false;
  auto store = OpenStore(c.database(), clock, read_only);
  if (!store.ok()) {
    return {false, c.DatabaseForDisplay() + ": " + store.status().ToString(),
            c.postgres_store() ? "start PostgreSQL, or fix ROCKPOOL_DATABASE_URL"
                               : "check the file's owner and the disk"};
  }
  std::string detail =
      std::string(c.postgres_store() ? "PostgreSQL " : "SQLite ") + c.DatabaseForDisplay();
  if (auto version = (*store)->AppliedSchemaVersion(); version.ok()) {
    const int latest = c.postgres_store() ? PgStore::SchemaVersion() : SqliteStore::SchemaVersion();
    detail += ", schema " + std::to_string(*version);
    if (*version < latest)
      detail += " (this build's serve upgrades it to " + std::to_string(latest) + ")";
  }
  auto lease = (*store)->leases().Get(LeadershipOptions{}.name);
  if (lease.ok() && lease->has_value() && (*lease)->until > clock.Now()) {
    detail += "; leading control plane " + (*lease)->holder + " (lease until " +
              FormatTime((*lease)->until) + ")";
  } else if (lease.ok()) {
    detail += "; no control plane leads now";
  }
  return {true, detail};
}

// With ROCKPOOL_RUNTIME=tart: Tart, Packer and the image instead of LXD and what it holds.
constexpr Check kTartChecks[] = {
    {"tart", CheckTart},        {"packer", CheckPacker},      {"image", CheckTartImage},
    {"sockets", CheckSockets},  {"ports", CheckPorts},        {"proxy", CheckCaddy},
    {"auth", CheckCredentials}, {"files", CheckPrivateFiles}, {"admin", CheckRootSockets},
    {"origins", CheckOrigins},  {"throttle", CheckThrottle},  {"host", CheckTartHostAccess},
    {"store", CheckStore},
};

constexpr Check kChecks[] = {
    {"engine", CheckEngine},    {"cluster", CheckCluster},    {"pool", CheckPool},
    {"bridge", CheckBridge},    {"project", CheckProject},    {"image", CheckImage},
    {"sockets", CheckSockets},  {"ports", CheckPorts},        {"proxy", CheckCaddy},
    {"auth", CheckCredentials}, {"files", CheckPrivateFiles}, {"admin", CheckRootSockets},
    {"origins", CheckOrigins},  {"firewall", CheckFirewall},  {"nic", CheckNicIsolation},
    {"idmap", CheckIdmap},      {"devlxd", CheckDevlxd},      {"throttle", CheckThrottle},
    {"store", CheckStore},
};

// Checks that ask the engine; skipped when it does not answer.
bool NeedsEngine(std::string_view what) {
  for (std::string_view w :
       {"cluster", "pool", "bridge", "image", "firewall", "nic", "idmap", "devlxd"}) {
    if (what == w) return true;
  }
  return false;
}

}  // namespace

void AddDoctor(CLI::App& sub, Context& ctx) {
  sub.callback([&ctx] {
    int failed = 0;
    int warned = 0;
    bool engine_ok = true;
    const bool tart = ctx.config().tart_runtime();
    for (const Check& c :
         tart ? std::span<const Check>(kTartChecks) : std::span<const Check>(kChecks)) {
      if (NeedsEngine(c.what) && !engine_ok) continue;
      Finding f = c.run(ctx);
      if (std::string_view(c.what) == "engine") engine_ok = f.ok;
      const char* verdict = !f.ok ? "FAIL" : f.warn ? "WARN" : "ok  ";
      std::printf("%s %-9s %s\n", verdict, c.what, f.detail.c_str());
      if (!f.ok || f.warn) {
        std::printf("              fix: %s\n", f.fix.c_str());
        ++(f.ok ? warned : failed);
      }
    }
    if (failed > 0) {
      std::fprintf(stderr, "%d problem%s found\n", failed, failed == 1 ? "" : "s");
      std::exit(1);
    }
    std::printf("everything Rockpool needs is in place%s\n",
                warned > 0 ? ", with the warnings above" : "");
  });
}

}  // namespace rockpool
