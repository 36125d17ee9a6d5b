// Instance state: PUT /1.0/instances/<name>/state (start, stop).
#pragma once

#include <chrono>
#include <string>

#include "runtime/incus/incus_client.h"

namespace rockpool::incus {

struct InstanceStatePut {
  std::string action;  // "start", "stop", "restart"
  int timeout = 30;    // seconds the daemon allows a graceful stop; -1 waits forever
  bool force = false;
};
Json ToJson(const InstanceStatePut& put);

// Changes the state and waits for it (up to `wait`).
Status PutInstanceState(IncusClient& client, const std::string& name, const InstanceStatePut& put,
                        std::chrono::seconds wait);

}  // namespace rockpool::incus
