// rockpool doctor: one line per thing Rockpool needs, and the fix for each missing one.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "runtime/incus/incus_client.h"
#include "sys/ports.h"

namespace rockpool {
namespace {

struct Finding {
  bool ok = false;
  std::string detail;  // what was found
  std::string fix;     // what to run when !ok
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

constexpr Check kChecks[] = {
    {"engine", CheckEngine}, {"pool", CheckPool},       {"bridge", CheckBridge},
    {"image", CheckImage},   {"sockets", CheckSockets}, {"ports", CheckPorts},
    {"proxy", CheckCaddy},
};

}  // namespace

void AddDoctor(CLI::App& sub, Context& ctx) {
  sub.callback([&ctx] {
    int failed = 0;
    bool engine_ok = true;
    for (const Check& c : kChecks) {
      bool needs_engine = std::string_view(c.what) == "pool" ||
                          std::string_view(c.what) == "bridge" ||
                          std::string_view(c.what) == "image";
      if (needs_engine && !engine_ok) continue;
      Finding f = c.run(ctx);
      if (std::string_view(c.what) == "engine") engine_ok = f.ok;
      std::printf("%s %-8s %s\n", f.ok ? "ok  " : "FAIL", c.what, f.detail.c_str());
      if (!f.ok) {
        std::printf("              fix: %s\n", f.fix.c_str());
        ++failed;
      }
    }
    if (failed > 0) {
      std::fprintf(stderr, "%d problem%s found\n", failed, failed == 1 ? "" : "s");
      std::exit(1);
    }
    std::printf("everything Rockpool needs is in place\n");
  });
}

}  // namespace rockpool
