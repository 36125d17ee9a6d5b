#include "cli/install_paths.h"

#include <cstdlib>
#include <filesystem>

namespace rockpool {

std::string ExecutablePath() {
  constexpr std::string_view kGone = " (deleted)";  // how /proc shows a replaced executable
  std::error_code ec;
  std::string exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (exe.ends_with(kGone)) exe.resize(exe.size() - kGone.size());
  return exe;
}

std::string DataDir() {
  if (const char* v = std::getenv("ROCKPOOL_DATA_DIR"); v != nullptr && *v != '\0') return v;
  const std::filesystem::path dir = std::filesystem::path(ExecutablePath()).parent_path();
  if (dir.filename() == "bin") return (dir.parent_path() / "share" / "rockpool").string();
  return (dir / "share" / "rockpool").string();
}

std::string DashboardDir() { return DataDir() + "/web"; }

std::string RecipeDir() { return DataDir() + "/images/linux"; }

}  // namespace rockpool
