#include "runtime/incus/warm_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace rockpool::incus {
namespace {

namespace fs = std::filesystem;

uint64_t WarmFile(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return 0;
  uint64_t size = 0;
  if (off_t end = ::lseek(fd, 0, SEEK_END); end > 0) {
    size = static_cast<uint64_t>(end);
    (void)::readahead(fd, 0, size);
  }
  ::close(fd);
  return size;
}

}  // namespace

Result<std::string> InstanceRootOnHost(const std::string& socket_path, const std::string& project,
                                       const std::string& instance) {
  const fs::path pools = fs::path(socket_path).parent_path() / "storage-pools";
  // The daemon names the volume of an instance in another project "<project>_<instance>".
  const std::string volume =
      project.empty() || project == "default" ? instance : project + "_" + instance;
  std::error_code ec;
  for (const auto& pool : fs::directory_iterator(pools, ec)) {
    fs::path root = pool.path() / "containers" / volume / "rootfs";
    if (fs::is_directory(root, ec)) return root.string();
  }
  return Status::NotFound("incus: the root of instance " + instance + " is not mounted under " +
                          pools.string());
}

Result<uint64_t> WarmFiles(const std::string& root, const std::vector<std::string>& paths) {
  uint64_t bytes = 0;
  for (const auto& relative : paths) {
    const fs::path start = fs::path(root) / relative;
    std::error_code ec;
    const auto status = fs::symlink_status(start, ec);
    if (ec || !fs::exists(status)) continue;
    if (fs::is_regular_file(status)) {
      bytes += WarmFile(start);
      continue;
    }
    if (!fs::is_directory(status)) continue;
    fs::recursive_directory_iterator it(start, fs::directory_options::skip_permission_denied, ec);
    if (ec) return Status::Internal("incus: warm " + start.string() + ": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return Status::Internal("incus: warm " + start.string() + ": " + ec.message());
      if (it->is_regular_file(ec) && !it->is_symlink(ec)) bytes += WarmFile(it->path());
    }
  }
  return bytes;
}

}  // namespace rockpool::incus
