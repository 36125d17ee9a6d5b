// Operations: waiting for the daemon's async operations (GET /1.0/operations/<id>/wait).
#pragma once

#include <chrono>
#include <string>

#include "runtime/incus/incus_client.h"

namespace rockpool::incus {

// Blocks until the operation at `operation_path` ("/1.0/operations/<id>") ends or `timeout`
// passes. Returns the final operation object; a failed operation becomes an error carrying
// the daemon's text ("err"), a still-running one DeadlineExceeded.
Result<Json> WaitOperation(IncusClient& client, const std::string& operation_path,
                           std::chrono::seconds timeout);

// Like WaitOperation, but returns the final operation object whatever its status (exec keeps
// its exit code and output logs in a failed operation). Errors only when the wait itself fails.
Result<Json> WaitOperationObject(IncusClient& client, const std::string& operation_path,
                                 std::chrono::seconds timeout);

// Ok for a successful operation object, else the error WaitOperation would return.
Status OperationOutcome(const Json& op, std::chrono::seconds timeout);

}  // namespace rockpool::incus
