// A job: one piece of lifecycle work (create, start, stop, delete a workspace) kept in the
// store beside the state change that asked for it, and leased by one worker at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/clock.h"

namespace rockpool {

// clone: clones the workspace's source again after a failed clone (core/source.h).
// restore: puts a stopped workspace's instance back to a snapshot (Job::argument names it).
enum class JobKind { kCreate, kStart, kStop, kDelete, kClone, kRestore };
// queued: waiting (or waiting for its retry time); running: leased by lease_owner until
// lease_until; done and failed are final.
enum class JobState { kQueued, kRunning, kDone, kFailed };

std::string_view JobKindName(JobKind k);  // "create", ...
std::optional<JobKind> ParseJobKind(std::string_view s);
std::string_view JobStateName(JobState s);  // "queued", ...
std::optional<JobState> ParseJobState(std::string_view s);

struct Job {
  int64_t id = 0;
  std::string workspace_id;
  JobKind kind = JobKind::kCreate;
  JobState state = JobState::kQueued;
  int attempts = 0;  // claims so far, this one included
  int max_attempts = 0;
  TimePoint run_after;
  std::optional<std::string> lease_owner;
  std::optional<TimePoint> lease_until;
  std::optional<std::string> last_error;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<std::string> argument;  // what the kind needs besides the workspace
};

}  // namespace rockpool
