// FakeProcessRunner: answers each program with a canned reply (exit code and output lines) and
// records every ProcessSpec it was asked to run, so tests assert on what would have run.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "sys/process.h"

namespace rockpool {

class FakeProcessRunner final : public ProcessRunner {
 public:
  struct Reply {
    int exit_code = 0;
    std::vector<std::string> lines;  // output, one line each, without '\n'
  };

  // Programs whose argv[0] equals `program` or ends in "/<program>" get `reply`. Programs
  // without a reply exit 0 with no output.
  void On(const std::string& program, Reply reply) {
    std::lock_guard lock(mu_);
    replies_[program] = std::move(reply);
  }
  // Programs matching `program` cannot be started: Run returns `status`.
  void FailToStart(const std::string& program, Status status) {
    std::lock_guard lock(mu_);
    start_failures_[program] = std::move(status);
  }

  Result<ProcessResult> Run(const ProcessSpec& spec) override {
    Reply reply;
    {
      std::lock_guard lock(mu_);
      ran_.push_back(spec);
      const std::string program = spec.argv.empty() ? "" : spec.argv[0];
      for (const auto& [name, status] : start_failures_) {
        if (Matches(program, name)) return status;
      }
      for (const auto& [name, r] : replies_) {
        if (Matches(program, name)) reply = r;
      }
    }
    ProcessResult result{reply.exit_code, ""};
    for (const auto& line : reply.lines) {
      if (spec.on_line) {
        spec.on_line(line);
      } else {
        result.output += line + "\n";
      }
    }
    return result;
  }

  Result<int> SpawnDaemon(const ProcessSpec& spec, const std::string& log_file) override {
    std::lock_guard lock(mu_);
    ran_.push_back(spec);
    daemon_logs_.push_back(log_file);
    return next_pid_++;
  }

  std::vector<ProcessSpec> ran() const {
    std::lock_guard lock(mu_);
    return ran_;
  }
  std::vector<std::string> daemon_logs() const {
    std::lock_guard lock(mu_);
    return daemon_logs_;
  }

 private:
  static bool Matches(const std::string& program, const std::string& name) {
    if (program == name) return true;
    return program.size() > name.size() &&
           program.compare(program.size() - name.size() - 1, std::string::npos, "/" + name) == 0;
  }

  mutable std::mutex mu_;
  std::map<std::string, Reply> replies_;
  std::map<std::string, Status> start_failures_;
  std::vector<ProcessSpec> ran_;
  std::vector<std::string> daemon_logs_;
  int next_pid_ = 4000;
};

}  // namespace rockpool
