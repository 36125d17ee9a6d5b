// The LXD project of the test suite's private Rockpool (scripts/harness.sh exports it as
// ROCKPOOL_PROJECT, and scopes `lxc` to it through LXD_CONF). Integration tests make their
// instances there, never in the default project where other people's instances live.
#pragma once

#include <cstdlib>
#include <string>

namespace rockpool::testing_env {

// "" when the environment names no project: callers fail the test then.
inline std::string TestProject() {
  const char* project = std::getenv("ROCKPOOL_PROJECT");
  const char* lxd_conf = std::getenv("LXD_CONF");
  if (project == nullptr || *project == '\0' || lxd_conf == nullptr || *lxd_conf == '\0') return "";
  return project;
}

inline constexpr char kNoProject[] =
    "no private LXD project: run through ./scripts/test.sh (scripts/harness.sh sets "
    "ROCKPOOL_PROJECT and LXD_CONF)";

}  // namespace rockpool::testing_env
