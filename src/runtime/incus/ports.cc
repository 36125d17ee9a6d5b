// Host sockets: the `proxy` devices that expose code-server and forwarded ports as unix
// sockets on the host, and the socket files they leave behind.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

#include "core/names.h"
#include "runtime/incus/incus_runtime.h"
#include "runtime/incus/instance_names.h"
#include "sockets/workspace_sockets.h"

namespace rockpool::incus {
namespace {

constexpr int kEtagRetries = 3;

}  // namespace

std::string IncusRuntime::SocketPath(const std::string& name) const {
  return sockets::IdeSocketPath(options_.socket_dir, name);
}

std::string IncusRuntime::PortSocketPath(const std::string& name, int port) const {
  return sockets::PortSocketPath(options_.socket_dir, name, port);
}

std::string IncusRuntime::WarmSocketPath(const std::string& instance) const {
  return sockets::SocketDir(options_.socket_dir) + "/" + WarmSocketFile(instance);
}

void IncusRuntime::MoveWarmSocket(const std::string& name, const std::string& instance) const {
  std::error_code ec;
  if (!std::filesystem::exists(WarmSocketPath(instance), ec)) return;
  // rename(2) keeps the socket's inode, which is what the listener is bound to: connections to
  // the new name reach the same code-server at once.
  std::filesystem::rename(WarmSocketPath(instance), SocketPath(name), ec);
  if (ec) {
    spdlog::warn("incus: move the IDE socket of instance {} to {}: {}", instance, SocketPath(name),
                 ec.message());
  }
}

Device IncusRuntime::ProxyDevice(const std::string& listen_path, int port) const {
  return {{"type", "proxy"},
          {"listen", "unix:" + listen_path},
          {"connect", "tcp:127.0.0.1:" + std::to_string(port)},
          {"bind", "host"},
          {"uid", std::to_string(options_.socket_uid)},
          {"gid", std::to_string(options_.socket_gid)},
          {"mode", options_.socket_mode}};
}

// Deletes the IDE's socket and every forwarded port's socket of the workspace (never another
// workspace's: see sockets/workspace_sockets.h).
void IncusRuntime::RemoveSocketFiles(const std::string& name) const {
  std::error_code ec;
  std::filesystem::remove(SocketPath(name), ec);
  for (const auto& entry : std::filesystem::directory_iterator(options_.socket_dir, ec)) {
    if (sockets::IsSocketFileOf(entry.path().filename().string(), name)) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

Status IncusRuntime::AddPort(const std::string& name, int port) {
  RP_RETURN_IF_ERROR(ValidatePort(port));
  return ChangePortDevice(name, port, /*add=*/true);
}

Status IncusRuntime::RemovePort(const std::string& name, int port) {
  RP_RETURN_IF_ERROR(ValidatePort(port));
  return ChangePortDevice(name, port, /*add=*/false);
}

// Read-modify-write of the instance's devices, guarded by the instance's mutex against this
// process and by If-Match against everyone else (retried when the ETag moved).
Status IncusRuntime::ChangePortDevice(const std::string& name, int port, bool add) {
  RP_ASSIGN_OR_RETURN(std::string instance, InstanceOf(name));
  std::string device = PortDeviceName(port);
  std::string path = PortSocketPath(name, port);
  std::lock_guard lock(LockFor(instance));
  RP_RETURN_IF_ERROR(SettleStart(instance));
  Status last;
  for (int attempt = 0; attempt < kEtagRetries; ++attempt) {
    RP_ASSIGN_OR_RETURN(Instance current, GetInstance(*client_, instance, false));
    bool present = current.devices.contains(device);
    if (present == add) break;  // already as asked
    std::error_code ec;
    std::filesystem::remove(path, ec);  // a stale file would shadow the new listener
    if (add) {
      last = PatchInstance(*client_, instance, {.devices = {{device, ProxyDevice(path, port)}}},
                           current.etag);
    } else {
      current.put["devices"].erase(device);
      last = PutInstance(*client_, current, options_.operation_timeout);
    }
    if (last.code() != Code::kConflict) break;
  }
  if (!add) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
  return last;
}

}  // namespace rockpool::incus
