// RecipeLog: reads the image recipe's output line by line and keeps what the builder needs to
// report: the step running now ("[4/7] building ..."), the recipe's own error line
// ("error: mmdebstrap not found: apt-get install mmdebstrap") and the tarball it wrote.
#pragma once

#include <string>

namespace rockpool {

class RecipeLog {
 public:
  void Consume(const std::string& line);

  const std::string& step() const { return step_; }            // "" before the first step
  const std::string& error() const { return error_; }          // "" unless the recipe failed
  const std::string& tarball() const { return tarball_; }      // "" until the last line
  const std::string& last_line() const { return last_line_; }  // for failures without error:

  // One line for a recipe that exited with `exit_code`: which step failed and why.
  std::string FailureMessage(int exit_code) const;

 private:
  std::string step_;
  std::string error_;
  std::string tarball_;
  std::string last_line_;
};

}  // namespace rockpool
