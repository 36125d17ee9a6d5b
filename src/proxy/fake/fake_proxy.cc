#include "proxy/fake/fake_proxy.h"

namespace rockpool {

bool SameProxyConfig(const ProxyConfig& a, const ProxyConfig& b) {
  return a.socket_dir == b.socket_dir && a.control_port == b.control_port &&
         a.workspace_port == b.workspace_port &&
         a.control_plane_upstreams == b.control_plane_upstreams &&
         a.dashboard_root == b.dashboard_root && a.api_body_limit == b.api_body_limit;
}

Status FakeProxy::Bootstrap(const ProxyConfig& config) {
  std::lock_guard lock(mu_);
  bootstrap_calls_.push_back(config);
  if (!bootstrap_error_.ok()) return bootstrap_error_;
  loaded_ = config;
  return Status::Ok();
}

Result<bool> FakeProxy::IsBootstrapped(const ProxyConfig& config) {
  std::lock_guard lock(mu_);
  if (!is_bootstrapped_error_.ok()) return is_bootstrapped_error_;
  return loaded_.has_value() && SameProxyConfig(*loaded_, config);
}

Status FakeProxy::Ping() {
  std::lock_guard lock(mu_);
  ++ping_calls_;
  return ping_error_;
}

void FakeProxy::FailBootstrap(Status status) {
  std::lock_guard lock(mu_);
  bootstrap_error_ = std::move(status);
}

void FakeProxy::FailIsBootstrapped(Status status) {
  std::lock_guard lock(mu_);
  is_bootstrapped_error_ = std::move(status);
}

void FakeProxy::FailPing(Status status) {
  std::lock_guard lock(mu_);
  ping_error_ = std::move(status);
}

void FakeProxy::Restart() {
  std::lock_guard lock(mu_);
  loaded_.reset();
}

std::vector<ProxyConfig> FakeProxy::bootstrap_calls() const {
  std::lock_guard lock(mu_);
  return bootstrap_calls_;
}

int FakeProxy::ping_calls() const {
  std::lock_guard lock(mu_);
  return ping_calls_;
}

}  // namespace rockpool
