#include "sys/private_dir.h"

#include <filesystem>

namespace rockpool {
namespace fs = std::filesystem;
namespace {

constexpr fs::perms kOthersBits = fs::perms::group_all | fs::perms::others_all;

Status SetMode(const fs::path& path, fs::perms mode) {
  std::error_code ec;
  fs::permissions(path, mode, fs::perm_options::replace, ec);
  if (ec) return Status::Internal("chmod " + path.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Status MakePrivateDir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Internal("create folder " + dir + ": " + ec.message());
  RP_RETURN_IF_ERROR(SetMode(dir, fs::perms::owner_all));
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
    RP_RETURN_IF_ERROR(SetMode(entry.path(), fs::perms::owner_read | fs::perms::owner_write));
  }
  if (ec) return Status::Internal("list folder " + dir + ": " + ec.message());
  return Status::Ok();
}

Result<std::vector<std::string>> ExposedPaths(const std::string& dir) {
  std::error_code ec;
  auto status = fs::status(dir, ec);
  if (ec || !fs::is_directory(status)) return Status::NotFound("folder " + dir + " does not exist");
  std::vector<std::string> exposed;
  if ((status.permissions() & kOthersBits) != fs::perms::none) exposed.push_back(dir);
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
    if ((entry.status(ec).permissions() & kOthersBits) != fs::perms::none) {
      exposed.push_back(entry.path().string());
    }
  }
  if (ec) return Status::Internal("list folder " + dir + ": " + ec.message());
  return exposed;
}

}  // namespace rockpool
