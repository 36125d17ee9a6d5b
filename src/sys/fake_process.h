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
  // without a reply exit 0 with no output. `program` may go on with arguments ("btrfs quota"):
  // it then matches commands that start with them, and wins over the program alone.
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
      for (const auto& [name, status] : start_failures_) {
        if (Matches(spec.argv, name)) return status;
      }
      // In key order, so "btrfs quota" comes after "btrfs" and wins.
      for (const auto& [name, r] : replies_) {
        if (Matches(spec.argv, name)) reply = r;
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
  static bool Matches(const std::vector<std::string>& argv, const std::string& name) {
    const std::string program = argv.empty() ? "" : argv[0];
    const std::string wanted = name.substr(0, name.find(' '));
    const bool same = program == wanted || (program.size() > wanted.size() &&
                                            program.compare(program.size() - wanted.size() - 1,
                                                            std::string::npos, "/" + wanted) == 0);
    if (!same || wanted.size() == name.size()) return same;
    std::string args;
    for (size_t i = 1; i < argv.size(); ++i) args += " " + argv[i];
    const std::string rest = name.substr(wanted.size());
    return args.compare(0, rest.size(), rest) == 0 &&
           (args.size() == rest.size() || args[rest.size()] == ' ');
  }

  mutable std::mutex mu_;
  std::map<std::string, Reply> replies_;
  std::map<std::string, Status> start_failures_;
  std::vector<ProcessSpec> ran_;
  std::vector<std::string> daemon_logs_;
  int next_pid_ = 4000;
};

}  // namespace rockpool
