// Lease owners of the workers of this host. A default worker's id is "<host>:<pid>" and each of
// its poll loops leases jobs as "<id>/<slot>", so a process that finds such a lease can tell
// whether the worker holding it still runs.
#pragma once

#include <string>

namespace rockpool {

// "<host>:<pid>" of the calling process.
std::string LocalWorkerId();

// True when `owner` ("<host>:<pid>/<slot>") names a worker process of this host, other than
// the caller, that no longer runs. A pid in use again by another process counts as running:
// its lease then runs out as usual.
bool IsDeadLocalOwner(const std::string& owner);

}  // namespace rockpool
