#include "images/builder.h"

#include <cctype>
#include <filesystem>
#include <system_error>

#include "images/recipe_log.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;

std::string ShortDigest(const std::string& digest) { return digest.substr(0, 12); }

std::string Trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) ||
        std::isupper(static_cast<unsigned char>(c)))
      return false;
  }
  return true;
}

Status CheckRecipeDir(const std::string& recipe_dir) {
  if (recipe_dir.empty()) {
    return Status::InvalidArgument("image build: no recipe directory given (images/linux)");
  }
  for (const char* file : {"build.sh", "digest.sh"}) {
    std::error_code ec;
    if (!fs::exists(fs::path(recipe_dir) / file, ec)) {
      return Status::InvalidArgument("image recipe " + recipe_dir + ": " + file +
                                     " missing: point the recipe directory at images/linux");
    }
  }
  return Status::Ok();
}

// Removes the recipe's tarball when the build is over, whatever happened to the import.
class TarballRemover {
 public:
  explicit TarballRemover(std::string path) : path_(std::move(path)) {}
  ~TarballRemover() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  TarballRemover(const TarballRemover&) = delete;
  TarballRemover& operator=(const TarballRemover&) = delete;

 private:
  std::string path_;
};

// Runs build.sh, streaming its lines to `progress`; returns the tarball it wrote.
Result<std::string> RunRecipe(const ImageBuildOptions& options, const std::string& digest,
                              ProcessRunner& runner, const ImageProgress& progress) {
  RecipeLog log;
  ProcessSpec spec;
  spec.argv = {(fs::path(options.recipe_dir) / "build.sh").string(), options.work_dir};
  spec.env = {"ROCKPOOL_RECIPE_DIGEST=" + digest};
  spec.on_line = [&](const std::string& line) {
    log.Consume(line);
    if (progress) progress(line);
  };
  auto result = runner.Run(spec);
  if (!result.ok()) return result.status().WithContext("image recipe");
  if (result->exit_code != 0) return Status::Internal(log.FailureMessage(result->exit_code));
  if (log.tarball().empty()) {
    return Status::Internal("image recipe " + CommandLine(spec.argv) +
                            " finished without printing 'image tarball: <path>'");
  }
  return log.tarball();
}

}  // namespace

Result<std::string> RecipeDigest(const std::string& recipe_dir, ProcessRunner& runner) {
  ProcessSpec spec;
  spec.argv = {(fs::path(recipe_dir) / "digest.sh").string()};
  auto result = runner.Run(spec);
  if (!result.ok()) return result.status().WithContext("image recipe digest");
  std::string out = Trim(result->output);
  if (result->exit_code != 0) {
    return Status::Internal("image recipe digest: " + CommandLine(spec.argv) + " exited with " +
                            std::to_string(result->exit_code) + ": " + out);
  }
  if (!IsSha256Hex(out)) {
    return Status::Internal("image recipe digest: " + CommandLine(spec.argv) + " printed '" + out +
                            "', expected a sha256 hex digest");
  }
  return out;
}

Status BuildImage(const ImageBuildOptions& options, ProcessRunner& runner, ImageStore& store,
                  const ImageProgress& progress) {
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  RP_RETURN_IF_ERROR(CheckRecipeDir(options.recipe_dir));
  if (options.work_dir.empty()) {
    return Status::InvalidArgument("image build: no work directory given for the tarball");
  }
  RP_ASSIGN_OR_RETURN(std::string digest, RecipeDigest(options.recipe_dir, runner));
  auto found = store.Find(options.alias);
  if (!found.ok()) return found.status().WithContext("image build: find image " + options.alias);
  if (!options.force && found->has_value() && (*found)->recipe_digest == digest) {
    say("image " + options.alias + " is up to date (recipe " + ShortDigest(digest) + ")");
    return Status::Ok();
  }
  say("building image " + options.alias + " (recipe " + ShortDigest(digest) + ")");
  RP_ASSIGN_OR_RETURN(std::string tarball, RunRecipe(options, digest, runner, progress));
  TarballRemover remover(tarball);
  say("importing " + tarball + " as " + options.alias);
  Status imported = store.Import(tarball, options.alias, digest, progress);
  if (!imported.ok()) return imported.WithContext("image build: import " + options.alias);
  say("image " + options.alias + " is ready (recipe " + ShortDigest(digest) + ")");
  return Status::Ok();
}

}  // namespace rockpool
