// When a running workspace counts as idle (no I/O; the IdleStopper applies it).
//
// Its last activity is the latest of:
//  - what the store recorded (its start, or an earlier check's finding);
//  - the latest request start the proxy's forward-auth check reported since the last check;
//  - now, while any connection to its sockets is open (an IDE's WebSocket counts however quiet
//    it is; a keep-alive connection for at most the proxy's idle timeout after its request);
//  - when this control plane began watching: activity cannot be seen while no control plane
//    runs, so after a restart each workspace gets a whole timeout from the restart (never a
//    stop caused by the downtime, and never a workspace that looks active for ever).
// It is idle once its timeout (> 0) has passed since then.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/clock.h"
#include "worker/activity.h"

namespace rockpool {

struct IdleInputs {
  std::optional<TimePoint> recorded;  // last_activity_at from the store
  WorkspaceActivity observed;
  TimePoint watching_since;
};

TimePoint LastActivity(const IdleInputs& in, TimePoint now);
// REQUIRES: timeout_seconds >= 0; 0 never stops.
bool IsIdle(int64_t timeout_seconds, TimePoint last_activity, TimePoint now);
// "stopped after 30 min without activity"
std::string IdleStopReason(int64_t timeout_seconds);

}  // namespace rockpool
