#include "store/job.h"

#include <array>
#include <utility>

namespace rockpool {
namespace {

constexpr std::array<std::pair<JobKind, std::string_view>, 5> kKinds = {{
    {JobKind::kCreate, "create"},
    {JobKind::kStart, "start"},
    {JobKind::kStop, "stop"},
    {JobKind::kDelete, "delete"},
    {JobKind::kRestore, "restore"},
}};

constexpr std::array<std::pair<JobState, std::string_view>, 4> kStates = {{
    {JobState::kQueued, "queued"},
    {JobState::kRunning, "running"},
    {JobState::kDone, "done"},
    {JobState::kFailed, "failed"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view JobKindName(JobKind k) { return NameOf(kKinds, k); }
std::optional<JobKind> ParseJobKind(std::string_view s) { return Parse(kKinds, s); }
std::string_view JobStateName(JobState s) { return NameOf(kStates, s); }
std::optional<JobState> ParseJobState(std::string_view s) { return Parse(kStates, s); }

}  // namespace rockpool
