// FakeProxy: records every Bootstrap call and can be told to fail, so the worker, reconciler
// and CLI are tested without Caddy. IsBootstrapped is true when the last successful
// Bootstrap got an equal config and no Restart() happened since.
#pragma once

#include <mutex>
#include <optional>
#include <vector>

#include "proxy/proxy.h"

namespace rockpool {

bool SameProxyConfig(const ProxyConfig& a, const ProxyConfig& b);

class FakeProxy final : public Proxy {
 public:
  Status Bootstrap(const ProxyConfig& config) override;
  Result<bool> IsBootstrapped(const ProxyConfig& config) override;
  Status Ping() override;

  // Failures returned by the next calls until cleared with Status::Ok().
  void FailBootstrap(Status status);
  void FailIsBootstrapped(Status status);
  void FailPing(Status status);
  // Forgets the loaded config, like a proxy restart.
  void Restart();

  // Every Bootstrap call, failed ones included, in order.
  std::vector<ProxyConfig> bootstrap_calls() const;
  int ping_calls() const;

 private:
  mutable std::mutex mu_;
  Status bootstrap_error_, is_bootstrapped_error_, ping_error_;
  std::optional<ProxyConfig> loaded_;
  std::vector<ProxyConfig> bootstrap_calls_;
  int ping_calls_ = 0;
};

}  // namespace rockpool
