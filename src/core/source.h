// A workspace's source: the git repository cloned into its IDE folder at create, and how that
// clone went. The token that opens a private repository is kept sealed (auth/secret_box.h);
// only the control plane can open it, and it never leaves in an answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rockpool {

// pending: waiting for the workspace to boot (or for a retry); cloned: the IDE folder holds the
// checkout; failed: `error_kind` and `error` say why, and a retry may be asked for.
enum class SourceStatus { kPending, kCloned, kFailed };
std::string_view SourceStatusName(SourceStatus s);  // "pending", "cloned", "failed"
std::optional<SourceStatus> ParseSourceStatus(std::string_view s);

// Why a clone failed, from what git said.
enum class CloneError { kBadUrl, kMissingRef, kAuthentication, kUnreachable, kOther };
std::string_view CloneErrorName(CloneError e);  // "bad_url", "missing_ref", ...
std::optional<CloneError> ParseCloneError(std::string_view s);

struct WorkspaceSource {
  std::string workspace_id;
  std::string url;                          // https:// or http://, without credentials
  std::optional<std::string> ref;           // branch, tag or commit; none: the default branch
  std::string username;                     // sent with the token; unused without one
  std::optional<std::string> sealed_token;  // SecretBox::Seal of the token
  SourceStatus status = SourceStatus::kPending;
  std::optional<CloneError> error_kind;
  std::optional<std::string> error;  // git's own words, trimmed
  std::string updated_at;
};

// What a create request may ask for.
struct SourceRequest {
  std::string url;
  std::optional<std::string> ref;
  std::optional<std::string> username;
  std::optional<std::string> token;
};

inline constexpr char kDefaultGitUsername[] = "x-access-token";

// An http(s) URL with a host and no credentials, spaces or control characters, at most 2048
// characters. A token travels only over https: InvalidArgument otherwise.
Status ValidateSourceRequest(const SourceRequest& request);
// A git ref a person may name: 1-255 characters, no spaces, control characters, "..", "~^:?*["
// or "\", not starting with "-" or "/".
Status ValidateGitRef(std::string_view ref);

// Sorts git's complaint (its stderr with LANG=C) into the kinds a person can act on.
CloneError ClassifyCloneError(std::string_view git_stderr);

}  // namespace rockpool
