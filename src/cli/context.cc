#include "cli/context.h"

#include <filesystem>

#include "cli/install_paths.h"
#include "http/curl_client.h"
#include "network/firewall_policy.h"
#include "network/nft_firewall.h"
#include "proxy/caddy/caddy_daemon.h"
#include "proxy/caddy/caddy_proxy.h"
#include "runtime/incus/incus_image_store.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/projects.h"
#include "runtime/incus/socket.h"
#include "runtime/tart/tart_runtime.h"

namespace rockpool {
namespace {

// The Caddy admin client lives as long as the proxy that uses it.
class OwnedCaddyProxy final : public Proxy {
 public:
  explicit OwnedCaddyProxy(const std::string& admin)
      : http_(CaddyAdminEndpoint(admin)), proxy_(http_, admin) {}
  Status Bootstrap(const ProxyConfig& c) override { return proxy_.Bootstrap(c); }
  Result<bool> IsBootstrapped(const ProxyConfig& c) override { return proxy_.IsBootstrapped(c); }
  Status Ping() override { return proxy_.Ping(); }

 private:
  CurlHttpClient http_;
  CaddyProxy proxy_;
};

}  // namespace

Context::Context(Config config) : config_(std::move(config)) {}
Context::~Context() = default;

std::string Context::engine_socket() const {
  if (!config_.engine_socket.empty()) return config_.engine_socket;
  auto detected = incus::DetectSocket();
  return detected.ok() ? *detected : "/var/lib/lxd/unix.socket";
}

Result<std::shared_ptr<incus::IncusClient>> Context::engine() {
  if (!engine_) {
    const std::string socket = engine_socket();
    auto client = incus::IncusClient::ForSocket(socket);
    // Ask the daemon once, so a stopped one fails here with the fix, not later mid-way.
    if (!client->Server().ok()) {
      return Status::Unavailable(
          "the container engine (LXD) does not answer on " + socket +
          ": start it with ./scripts/up.sh (or: lxd --group root --logfile "
          "/var/log/rockpool/lxd.log &), or point ROCKPOOL_ENGINE_SOCKET at its socket");
    }
    engine_ = std::move(client);
  }
  return engine_;
}

Result<IncusRuntime*> Context::incus() {
  if (config_.tart_runtime()) {
    return Status::InvalidArgument(
        "this needs the incus runtime (LXD), and ROCKPOOL_RUNTIME is tart; unset "
        "ROCKPOOL_RUNTIME or set it to incus");
  }
  if (!runtime_) {
    RP_ASSIGN_OR_RETURN(auto engine, this->engine());
    RP_RETURN_IF_ERROR(incus::CheckProject(*engine, config_.project, config_.state_dir));
    incus::IncusRuntimeOptions options;
    options.socket_dir = config_.socket_dir();
    options.network = config_.bridge;
    options.storage_pool = config_.pool;
    options.project = config_.project;
    RP_ASSIGN_OR_RETURN(runtime_, incus::IncusRuntime::Open(options, engine->socket_path()));
  }
  return runtime_.get();
}

Result<Runtime*> Context::runtime() {
  RP_RETURN_IF_ERROR(config_.CheckRuntime());
  if (config_.tart_runtime()) {
    if (!tart_) {
      tart::TartRuntimeOptions options;
      options.tart_path = config_.tart;
      options.socket_dir = config_.socket_dir();
      options.log_dir = config_.log_dir;
      options.state_dir = config_.state_dir + "/tart";
      RP_ASSIGN_OR_RETURN(tart_, tart::TartRuntime::Open(options));
    }
    return static_cast<Runtime*>(tart_.get());
  }
  RP_ASSIGN_OR_RETURN(IncusRuntime * incus, this->incus());
  return static_cast<Runtime*>(incus);
}

Result<ImageStore*> Context::images() {
  if (!images_) {
    // Images live in the default project, which every deployment's project reads
    // (features.images=false): the workspace image is built once per daemon.
    RP_ASSIGN_OR_RETURN(auto engine, this->engine());
    images_ = std::make_unique<incus::IncusImageStore>(engine);
  }
  return images_.get();
}

Proxy& Context::proxy() {
  if (!proxy_) proxy_ = std::make_unique<OwnedCaddyProxy>(config_.caddy_admin());
  return *proxy_;
}

CaddyDaemon& Context::caddy() {
  if (!caddy_) {
    CaddyDaemonOptions options;
    options.state_dir = config_.caddy_dir();
    options.admin_address = config_.caddy_admin();
    caddy_ = std::make_unique<CaddyDaemon>(runner_, proxy(), options);
  }
  return *caddy_;
}

Result<Firewall*> Context::firewall() {
  if (firewall_) return firewall_.get();
  const std::string context = "host firewall for bridge " + config_.bridge;
  RP_ASSIGN_OR_RETURN(auto engine, this->engine());
  auto network =
      engine->Call({.path = "/1.0/networks/" + config_.bridge, .timeout = std::chrono::seconds(5)});
  if (!network.ok()) return network.status().WithContext(context);
  const std::string subnet = network->metadata["config"].value("ipv4.address", "");
  if (subnet.empty()) {
    return Status::Unavailable(context + ": the bridge has no IPv4 address (lxc network get " +
                               config_.bridge + " ipv4.address)");
  }
  auto policy = MakeFirewallPolicy(config_.bridge, subnet, config_.egress, config_.egress_allow);
  if (!policy.ok()) return policy.status().WithContext(context);
  firewall_ = std::make_unique<NftFirewall>(runner_, *policy, "nft", config_.state_dir);
  return firewall_.get();
}

ProxyConfig Context::proxy_config() const {
  ProxyConfig c;
  c.socket_dir = config_.socket_dir();
  c.control_port = config_.control_port;
  c.workspace_port = config_.workspace_port;
  // An invalid range is refused by `up` and `serve` (Config::Origins) before any bootstrap.
  if (auto origins = config_.Origins(); origins.ok() && origins->enabled()) {
    c.origin_first_port = origins->first_port;
    c.origin_last_port = origins->last_port;
  }
  for (int process = 1; process <= config_.serve_processes; ++process) {
    c.control_plane_upstreams.push_back("unix/" + config_.control_socket(process));
  }
  const std::string dashboard = DashboardDir();
  if (std::filesystem::exists(dashboard + "/index.html")) c.dashboard_root = dashboard;
  return c;
}

}  // namespace rockpool
