#include "runtime/health.h"

#include <algorithm>

namespace rockpool {

std::optional<std::string> ProbeCodeServer(HttpClient& client,
                                           std::chrono::steady_clock::time_point deadline) {
  using std::chrono::milliseconds;
  auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
  auto response = client.Send(
      {.target = "/healthz", .timeout = std::clamp(left, milliseconds(100), milliseconds(2000))});
  if (response.ok() && response->status == 200) return std::nullopt;
  return response.ok() ? "HTTP " + std::to_string(response->status) : response.status().message();
}

}  // namespace rockpool
