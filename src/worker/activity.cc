#include "worker/activity.h"

#include <algorithm>

#include "core/names.h"

namespace rockpool {

std::optional<std::string> WorkspaceOfUri(std::string_view uri) {
  constexpr std::string_view kPrefix = "/workspace/";
  if (!uri.starts_with(kPrefix)) return std::nullopt;
  uri.remove_prefix(kPrefix.size());
  const std::string name(uri.substr(0, uri.find_first_of("/?")));
  if (!ValidateWorkspaceName(name).ok()) return std::nullopt;
  return name;
}

void RequestActivity::Record(std::string_view forwarded_uri) {
  auto name = WorkspaceOfUri(forwarded_uri);
  if (!name) return;
  const TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  TimePoint& last = last_[*name];
  last = std::max(last, now);
}

std::map<std::string, WorkspaceActivity> RequestActivity::Observe() {
  std::map<std::string, TimePoint> seen;
  {
    std::lock_guard lock(mu_);
    seen.swap(last_);
  }
  std::map<std::string, WorkspaceActivity> out;
  for (const auto& [name, at] : seen) out[name].last_request = at;
  return out;
}

std::map<std::string, WorkspaceActivity> CombinedActivity::Observe() {
  auto out = a_.Observe();
  for (const auto& [name, b] : b_.Observe()) {
    WorkspaceActivity& merged = out[name];
    merged.open_connections += b.open_connections;
    if (b.last_request && (!merged.last_request || *b.last_request > *merged.last_request)) {
      merged.last_request = b.last_request;
    }
  }
  return out;
}

}  // namespace rockpool
