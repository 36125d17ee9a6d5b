#include "store/job.h"

#include "core/enum_names.h"

namespace rockpool {
namespace {

constexpr EnumNames<JobKind, 6> kKinds = {{
    {JobKind::kCreate, "create"},
    {JobKind::kStart, "start"},
    {JobKind::kStop, "stop"},
    {JobKind::kDelete, "delete"},
    {JobKind::kClone, "clone"},
    {JobKind::kRestore, "restore"},
}};

constexpr EnumNames<JobState, 4> kStates = {{
    {JobState::kQueued, "queued"},
    {JobState::kRunning, "running"},
    {JobState::kDone, "done"},
    {JobState::kFailed, "failed"},
}};

}  // namespace

std::string_view JobKindName(JobKind k) { return NameOf(kKinds, k); }
std::optional<JobKind> ParseJobKind(std::string_view s) { return ParseName(kKinds, s); }
std::string_view JobStateName(JobState s) { return NameOf(kStates, s); }
std::optional<JobState> ParseJobState(std::string_view s) { return ParseName(kStates, s); }

}  // namespace rockpool
