#include "jobs/local_owner.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

namespace rockpool {
namespace {

std::string HostName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host;
}

// The pid in a lease owner of a default worker of this host.
std::optional<pid_t> LocalPid(const std::string& owner) {
  const std::string prefix = HostName() + ":";
  if (owner.rfind(prefix, 0) != 0) return std::nullopt;
  const std::string digits = owner.substr(prefix.size(), owner.find('/') - prefix.size());
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
      digits.size() > 9) {
    return std::nullopt;
  }
  return static_cast<pid_t>(std::stol(digits));
}

bool ProcessExists(pid_t pid) { return kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

std::string LocalWorkerId() { return HostName() + ":" + std::to_string(getpid()); }

bool IsDeadLocalOwner(const std::string& owner) {
  const auto pid = LocalPid(owner);
  return pid && *pid != getpid() && !ProcessExists(*pid);
}

}  // namespace rockpool
