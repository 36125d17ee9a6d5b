#include "runtime/incus/operations.h"

namespace rockpool::incus {
namespace {

// Failed operations carry only text; recognise the answers callers act on.
Code CodeForOperationError(const std::string& err) {
  if (err.find("already exists") != std::string::npos) return Code::kAlreadyExists;
  if (err.find("not found") != std::string::npos) return Code::kNotFound;
  return Code::kInternal;
}

}  // namespace

Result<Json> WaitOperationObject(IncusClient& client, const std::string& operation_path,
                                 std::chrono::seconds timeout) {
  ApiRequest request;
  request.path = operation_path + "/wait?timeout=" + std::to_string(timeout.count());
  // The daemon holds the request up to `timeout`; the transport must wait longer.
  request.timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(timeout) + std::chrono::seconds(10);
  RP_ASSIGN_OR_RETURN(ApiResponse response, client.Call(request));
  if (!response.metadata.is_object()) {
    return Status::Internal("operation " + operation_path + ": answer has no metadata");
  }
  return response.metadata;
}

Status OperationOutcome(const Json& op, std::chrono::seconds timeout) {
  std::string status = op.value("status", "");
  if (status == "Success") return Status::Ok();
  if (status == "Failure" || status == "Cancelled") {
    std::string err = op.value("err", "");
    if (err.empty()) err = "operation " + status;
    return {CodeForOperationError(err), err};
  }
  return Status::DeadlineExceeded("operation \"" + op.value("description", "") + "\" still " +
                                  status + " after " + std::to_string(timeout.count()) + "s");
}

Result<Json> WaitOperation(IncusClient& client, const std::string& operation_path,
                           std::chrono::seconds timeout) {
  RP_ASSIGN_OR_RETURN(Json op, WaitOperationObject(client, operation_path, timeout));
  RP_RETURN_IF_ERROR(OperationOutcome(op, timeout));
  return op;
}

}  // namespace rockpool::incus
