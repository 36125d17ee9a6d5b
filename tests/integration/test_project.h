// The LXD project where the engine-level integration tests (runtime, limits, network) make
// their instances. scripts/harness.sh makes it beside the suite's private Rockpool and exports
// it as ROCKPOOL_TEST_ENGINE_PROJECT, with an `lxc` configuration scoped to it in
// ROCKPOOL_TEST_ENGINE_LXD_CONF. It is not the private Rockpool's own project, whose
// reconciler would take the tests' instances for strays, and not the default project, where
// other people's instances live.
#pragma once

#include <cstdlib>
#include <string>

namespace rockpool::testing_env {

// The project's name, "" when the environment names none (callers fail the test then). Also
// points this process's `lxc` commands at it (LXD_CONF).
inline std::string EngineTestProject() {
  const char* project = std::getenv("ROCKPOOL_TEST_ENGINE_PROJECT");
  const char* lxd_conf = std::getenv("ROCKPOOL_TEST_ENGINE_LXD_CONF");
  if (project == nullptr || *project == '\0' || lxd_conf == nullptr || *lxd_conf == '\0') return "";
  setenv("LXD_CONF", lxd_conf, 1);
  return project;
}

// The project's own bridge (ROCKPOOL_TEST_ENGINE_BRIDGE), for the runtime's NIC: LXD refuses
// two running instances of one name on a bridge, and the deployment's spare has the name the
// tests' spare gets.
inline std::string EngineTestBridge() {
  const char* bridge = std::getenv("ROCKPOOL_TEST_ENGINE_BRIDGE");
  return bridge == nullptr ? "" : bridge;
}

inline constexpr char kNoProject[] =
    "no LXD project for engine tests: run through ./scripts/test.sh (scripts/harness.sh sets "
    "ROCKPOOL_TEST_ENGINE_PROJECT and ROCKPOOL_TEST_ENGINE_LXD_CONF)";

}  // namespace rockpool::testing_env
