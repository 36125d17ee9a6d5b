#include "runtime/incus/instance_state.h"

namespace rockpool::incus {

Json ToJson(const InstanceStatePut& put) {
  return {{"action", put.action}, {"timeout", put.timeout}, {"force", put.force}};
}

Status PutInstanceState(IncusClient& client, const std::string& name, const InstanceStatePut& put,
                        std::chrono::seconds wait) {
  auto r = client.CallAndWait({.method = "PUT",
                               .path = "/1.0/instances/" + UrlEncode(name) + "/state",
                               .body = ToJson(put)},
                              wait);
  std::string what = put.action + (put.force ? " (force)" : "");
  return r.ok() ? Status::Ok() : r.status().WithContext("incus: " + what + " instance " + name);
}

}  // namespace rockpool::incus
