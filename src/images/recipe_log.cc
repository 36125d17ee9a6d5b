#include "images/recipe_log.h"

#include <string_view>

namespace rockpool {
namespace {

constexpr std::string_view kErrorPrefix = "error: ";
constexpr std::string_view kTarballPrefix = "image tarball: ";

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// "[3/7] installing code-server" and the like.
bool IsStepLine(const std::string& s) {
  if (s.size() < 5 || s[0] != '[') return false;
  auto close = s.find("] ");
  return close != std::string::npos && s.find('/') < close;
}

}  // namespace

void RecipeLog::Consume(const std::string& line) {
  if (line.empty()) return;
  if (IsStepLine(line)) step_ = line;
  if (StartsWith(line, kErrorPrefix)) error_ = line.substr(kErrorPrefix.size());
  if (StartsWith(line, kTarballPrefix)) tarball_ = line.substr(kTarballPrefix.size());
  last_line_ = line;
}

std::string RecipeLog::FailureMessage(int exit_code) const {
  std::string where = step_.empty() ? "before its first step" : "at " + step_;
  std::string why = !error_.empty() ? error_
                    : last_line_.empty()
                        ? "exit code " + std::to_string(exit_code)
                        : "exit code " + std::to_string(exit_code) + ", last output: " + last_line_;
  return "image recipe failed " + where + ": " + why;
}

}  // namespace rockpool
