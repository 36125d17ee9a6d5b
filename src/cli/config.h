// Config: where Rockpool's pieces live on this host. Defaults suit a single machine; each
// value can be overridden by an environment variable (named beside it) or a flag.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "core/limits.h"
#include "service/origin_service.h"
#include "service/session_service.h"

namespace rockpool {

#ifdef __APPLE__
inline constexpr char kDefaultRuntime[] = "tart";
#else
inline constexpr char kDefaultRuntime[] = "incus";
#endif

inline constexpr int kDefaultMaxSnapshots = 10;
inline constexpr int kMaxServeProcesses = 8;
inline constexpr int kMaxMaxSnapshots = 1000;

struct Config {
  std::string state_dir = "/var/lib/rockpool";  // ROCKPOOL_STATE_DIR
  std::string log_dir = "/var/log/rockpool";    // ROCKPOOL_LOG_DIR
  std::string engine_socket;                    // ROCKPOOL_ENGINE_SOCKET; empty: detect
  int control_port = 8080;                      // ROCKPOOL_CONTROL_PORT
  int workspace_port = 8081;                    // ROCKPOOL_WORKSPACE_PORT
  std::string image = "rockpool-workspace";     // ROCKPOOL_IMAGE
  std::string recipe_dir;                       // ROCKPOOL_RECIPE_DIR; default <data>/images/linux
  std::string public_host = "localhost";        // ROCKPOOL_HOST: host name in printed URLs
  std::string bridge = "rpbr0";                 // ROCKPOOL_BRIDGE
  std::string pool = "rockpool";                // ROCKPOOL_POOL
  // The bridge's IPv4 address and prefix, used when the bridge must be created.
  std::string subnet = "10.187.42.1/24";  // ROCKPOOL_SUBNET
  // The LXD project holding this deployment's instances, templates, spares and profile.
  std::string project = "rockpool";  // ROCKPOOL_PROJECT
  // What workspaces may reach beyond the bridge: "on" (the internet through NAT, but not
  // private or link-local ranges) or "off"; and CIDRs let through all the same.
  std::string egress = "on";  // ROCKPOOL_EGRESS
  std::string egress_allow;   // ROCKPOOL_EGRESS_ALLOW: "10.1.2.0/24,192.168.7.5/32"
  // Each client address's API budget: a sustained rate and a burst (429 beyond them).
  double api_requests_per_second = 50;  // ROCKPOOL_API_RATE
  double api_burst = 500;               // ROCKPOOL_API_BURST

  // What runs the workspaces: "incus" (LXD/Incus containers) or "tart" (Tart VMs on macOS),
  // and the tart command for the latter.
  std::string runtime = kDefaultRuntime;  // ROCKPOOL_RUNTIME
  std::string tart = "tart";              // ROCKPOOL_TART
  // Rockpool has no host firewall for Tart VMs (pf rules on macOS): their code can reach what
  // listens on the Mac. serve refuses to run on tart until this is set to 1, accepting that.
  bool tart_allow_host_access = false;  // ROCKPOOL_TART_ALLOW_HOST_ACCESS=1
  // How many snapshots one workspace may keep (1-1000); MaxSnapshotsFromEnvironment checks it.
  int max_snapshots = kDefaultMaxSnapshots;  // ROCKPOOL_MAX_SNAPSHOTS

  // A running workspace with no open IDE connection and no forwarded-port traffic for this long
  // is stopped, unless it chose its own timeout; "0": never. How often that is checked.
  std::string idle_timeout = "30m";         // ROCKPOOL_IDLE_TIMEOUT: 1800, 45m, 1h30m, 0
  std::string idle_check_interval = "15s";  // ROCKPOOL_IDLE_CHECK_INTERVAL

  // A browser session ends after this long without a request, and this long after sign-in.
  std::string session_idle = "12h";       // ROCKPOOL_SESSION_IDLE
  std::string session_lifetime = "168h";  // ROCKPOOL_SESSION_LIFETIME

  // Port mode: the host ports Caddy serves workspace origins on, one per IDE and forwarded
  // port; "off": workspaces are served on paths of workspace_port, all on one origin.
  std::string origin_ports = "20000-20999";  // ROCKPOOL_ORIGIN_PORTS

  // InvalidArgument naming the setting and the accepted forms.
  Result<int64_t> IdleTimeoutSeconds() const;
  Result<std::chrono::milliseconds> IdleCheckInterval() const;
  Result<SessionOptions> Sessions() const;
  // Port mode's range; its ports disabled (0) when origin_ports is "off".
  Result<OriginOptions> Origins() const;

  std::string socket_dir() const { return state_dir + "/sockets"; }
  std::string auth_file() const { return state_dir + "/auth.json"; }  // the account's hash
  bool tart_runtime() const { return runtime == "tart"; }
  // InvalidArgument, with the fix, unless `runtime` is one Rockpool has.
  Status CheckRuntime() const;
  std::string caddy_dir() const { return state_dir + "/caddy"; }
  // The store: the PostgreSQL database ROCKPOOL_DATABASE_URL names (postgres://…), shared by
  // several control-plane processes, or else the SQLite file in the state directory.
  std::string database_url;
  std::string database() const {
    return database_url.empty() ? state_dir + "/rockpool.db" : database_url;
  }
  bool postgres_store() const { return !database_url.empty(); }
  // database() without a password, for logs and messages.
  std::string DatabaseForDisplay() const;
  // InvalidArgument, with the fix, unless ROCKPOOL_DATABASE_URL is empty or a postgres:// URL.
  Status CheckDatabase() const;
  // How many `rockpool serve` processes this host runs behind its Caddy (1 to
  // kMaxServeProcesses; more than one needs the PostgreSQL store). ServeProcessesFromEnvironment
  // checks it.
  int serve_processes = 1;  // ROCKPOOL_SERVE_PROCESSES
  // Root-only unix sockets: the control plane's for the proxy (every request authenticated),
  // its own for this host's tools run as root, and Caddy's admin endpoint. Serve process
  // `process` (1 to serve_processes) has a pair of its own; the first one's names have no
  // number.
  std::string control_socket(int process = 1) const {
    return state_dir + "/control" + ServeProcessSuffix(process) + ".sock";
  }
  std::string local_socket(int process = 1) const {
    return state_dir + "/local" + ServeProcessSuffix(process) + ".sock";
  }
  // "" for the first serve process, "-<n>" for the others: the part of its files' names.
  static std::string ServeProcessSuffix(int process) {
    return process <= 1 ? "" : "-" + std::to_string(process);
  }
  std::string caddy_admin() const;
  std::string WorkspaceUrl(const std::string& name) const;

  // Defaults, then the environment.
  static Config FromEnvironment();
};

// Workspace limits from ROCKPOOL_DEFAULT_{CPUS,MEMORY_MIB,PROCESSES,DISK_GIB} and
// ROCKPOOL_MAX_* (core/limits.h has the built-in values); InvalidArgument naming the setting.
Result<LimitsPolicy> LimitsPolicyFromEnvironment();

// ROCKPOOL_MAX_SNAPSHOTS (default kDefaultMaxSnapshots): a whole number from 1 to
// kMaxMaxSnapshots, else InvalidArgument naming the setting and what to set.
Result<int> MaxSnapshotsFromEnvironment();

// ROCKPOOL_SERVE_PROCESSES (default 1): a whole number from 1 to kMaxServeProcesses, above 1
// only with a PostgreSQL store (`postgres_store`), else InvalidArgument naming the setting and
// what to set.
Result<int> ServeProcessesFromEnvironment(bool postgres_store);

// ROCKPOOL_WARM_POOL: how many booted workspaces to keep ready per image. A whole number from 0
// to kMaxWarmPool for `default_image` (unset: 1), or "<image>=<n>,<image>=<n>" for several
// images; 0 turns a pool off. Else InvalidArgument naming the setting and the forms.
inline constexpr int kMaxWarmPool = 20;
Result<std::map<std::string, int>> WarmPoolsFromEnvironment(const std::string& default_image);

}  // namespace rockpool
