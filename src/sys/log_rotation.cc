#include "sys/log_rotation.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rockpool {
namespace {

namespace fs = std::filesystem;

std::string Numbered(const std::string& path, int n) { return path + "." + std::to_string(n); }

}  // namespace

Result<bool> RotateIfLarge(const std::string& path, const LogRotation& policy) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return false;
  if (size <= policy.max_bytes) return false;
  const std::string context = "rotate log " + path;
  if (policy.keep < 1) {
    if (truncate(path.c_str(), 0) != 0) {
      return Status::Internal(context + ": truncate: " + std::strerror(errno));
    }
    return true;
  }
  fs::remove(Numbered(path, policy.keep), ec);
  for (int n = policy.keep - 1; n >= 1; --n) {
    if (fs::exists(Numbered(path, n), ec)) fs::rename(Numbered(path, n), Numbered(path, n + 1), ec);
    if (ec) return Status::Internal(context + ": " + ec.message());
  }
  fs::copy_file(path, Numbered(path, 1), fs::copy_options::overwrite_existing, ec);
  if (ec) return Status::Internal(context + ": copy: " + ec.message());
  chmod(Numbered(path, 1).c_str(), 0600);
  if (truncate(path.c_str(), 0) != 0) {
    return Status::Internal(context + ": truncate: " + std::strerror(errno));
  }
  return true;
}

}  // namespace rockpool
