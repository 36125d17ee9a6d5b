// Ports are added in two phases so that no engine call runs inside a database transaction:
//   1. a pending row is committed (it holds the port against a second request and counts
//      towards the limit; the API does not list it);
//   2. the runtime adds the host socket, outside any transaction;
//   3. the row turns active, or on failure RevertPendingPort undoes both.
// A pending row left by a crash between 1 and 3 is reverted by the reconciler once it is older
// than ReconcilerOptions::pending_port_grace: the request that made it never got an answer, so
// its client asks again.
#pragma once

#include "core/workspace.h"
#include "runtime/runtime.h"
#include "store/store.h"

namespace rockpool {

// Removes the host socket of `port` (idempotent) and then its pending row. When the socket
// cannot be removed the row stays pending, for a later pass to try again. Every failure is
// logged, saying what is left behind. True when nothing of the port is left.
bool RevertPendingPort(Store& store, Runtime& runtime, const Workspace& ws, int port);

}  // namespace rockpool
