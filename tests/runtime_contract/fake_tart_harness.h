// A TartRuntime against the fake `tart` (src/runtime/tart/testing/fake_tart.cc) in a private
// TART_HOME, with its own socket, log and state folders; everything goes away with it. Shared
// by the contract suite's Tart instantiation and TartRuntime's own tests.
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "runtime/tart/tart_cli.h"
#include "runtime/tart/tart_runtime.h"
#include "tests/runtime_contract/runtime_contract.h"

namespace rockpool::contract {

class FakeTartHarness final : public RuntimeHarness {
 public:
  // The image: a Linux VM (Tart enforces no minimum memory on those, Set.swift/VMConfig.swift).
  static constexpr char kImage[] = "rockpool-test-image";

  // Makes the folders and the image; nullptr with *error when the fake cannot run.
  static std::unique_ptr<FakeTartHarness> Make(std::string* error) {
    auto h = std::unique_ptr<FakeTartHarness>(new FakeTartHarness());
    // The runtime's own `tart run` inherits this process's environment.
    ::setenv("TART_FAKE_CODE_SERVER_PORT", std::to_string(h->code_server_port_).c_str(), 1);
    auto made = h->Tart({"create", kImage, "--linux"});
    if (!made.ok() || made->exit_code != 0) {
      *error = "fake tart " + std::string(ROCKPOOL_FAKE_TART) +
               " does not work: " + (made.ok() ? made->err : made.status().ToString());
      return nullptr;
    }
    auto opened = tart::TartRuntime::Open(h->options());
    if (!opened.ok()) {
      *error = opened.status().ToString();
      return nullptr;
    }
    h->runtime_ = std::move(*opened);
    return h;
  }

  ~FakeTartHarness() override {
    runtime_.reset();
    // Ends the fake VMs and guest servers this harness started, by their pids.
    for (int pid : guest_servers_) ::kill(pid, SIGTERM);
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(home_ + "/vms", ec)) {
      (void)Tart({"stop", "--timeout", "5", entry.path().filename().string()});
    }
    std::filesystem::remove_all(root_, ec);
  }

  tart::TartRuntimeOptions options() const {
    tart::TartRuntimeOptions o;
    o.tart_path = ROCKPOOL_FAKE_TART;
    o.tart_home = home_;
    o.code_server_port = code_server_port_;
    o.socket_dir = root_ + "/sockets";
    o.log_dir = root_ + "/logs";
    o.state_dir = root_ + "/state";
    o.ip_wait = std::chrono::seconds(10);
    o.agent_wait = std::chrono::seconds(5);
    o.stop_timeout = std::chrono::seconds(5);
    return o;
  }

  Result<tart::TartResult> Tart(const std::vector<std::string>& args) const {
    return tart::RunTart(ROCKPOOL_FAKE_TART, args, Env());
  }

  // Replaces the runtime, as a restarted control plane would.
  Status Reopen() {
    runtime_.reset();
    auto opened = tart::TartRuntime::Open(options());
    if (!opened.ok()) return opened.status();
    runtime_ = std::move(*opened);
    return Status::Ok();
  }

  tart::TartRuntime& tart() { return *runtime_; }
  Runtime& runtime() override { return *runtime_; }
  std::string image() const override { return kImage; }
  std::string missing_image() const override { return "rockpool-no-such-image"; }
  const std::string& home() const { return home_; }
  std::chrono::milliseconds healthy_timeout() const override { return std::chrono::seconds(10); }

  // A server in the guest: the fake serves `port` on the VM's address, as a process of its
  // own (`fake_tart serve <vm> <port>`).
  Status ServeInside(const std::string& name, int port) override {
    auto pid = tart::SpawnTartDetached(ROCKPOOL_FAKE_TART,
                                       {"serve", tart::VmName(name), std::to_string(port)}, Env(),
                                       root_ + "/logs/serve.log");
    if (!pid.ok()) return pid.status();
    guest_servers_.push_back(*pid);
    return Status::Ok();
  }

 private:
  FakeTartHarness()
      : root_((std::filesystem::temp_directory_path() /
               ("rp-fake-tart-" + std::to_string(::getpid()) + "-" + std::to_string(Count())))
                  .string()),
        home_(root_ + "/tart-home"),
        code_server_port_(FreePort()) {
    std::filesystem::create_directories(home_);
  }
  std::vector<std::string> Env() const {
    return {"TART_HOME=" + home_,
            "TART_FAKE_CODE_SERVER_PORT=" + std::to_string(code_server_port_)};
  }
  // A port free on every address now: the fake VMs' code-server listens there.
  static int FreePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
  }
  static int Count() {
    static int n = 0;
    return n++;
  }

  std::string root_;
  std::string home_;
  int code_server_port_;
  std::unique_ptr<tart::TartRuntime> runtime_;
  std::vector<int> guest_servers_;
};

}  // namespace rockpool::contract
