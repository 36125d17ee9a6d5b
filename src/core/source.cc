#include "core/source.h"

#include "core/enum_names.h"

namespace rockpool {
namespace {

constexpr size_t kMaxUrlLength = 2048;
constexpr size_t kMaxRefLength = 255;
constexpr size_t kMaxUsernameLength = 128;
constexpr size_t kMaxTokenLength = 4096;

constexpr EnumNames<SourceStatus, 3> kStatusNames = {{
    {SourceStatus::kPending, "pending"},
    {SourceStatus::kCloned, "cloned"},
    {SourceStatus::kFailed, "failed"},
}};

constexpr EnumNames<CloneError, 5> kErrorNames = {{
    {CloneError::kBadUrl, "bad_url"},
    {CloneError::kMissingRef, "missing_ref"},
    {CloneError::kAuthentication, "authentication"},
    {CloneError::kUnreachable, "unreachable"},
    {CloneError::kOther, "other"},
}};

bool HasSpaceOrControl(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

std::string_view SourceStatusName(SourceStatus s) { return NameOf(kStatusNames, s); }
std::optional<SourceStatus> ParseSourceStatus(std::string_view s) {
  return ParseName(kStatusNames, s);
}
std::string_view CloneErrorName(CloneError e) { return NameOf(kErrorNames, e); }
std::optional<CloneError> ParseCloneError(std::string_view s) { return ParseName(kErrorNames, s); }

Status ValidateGitRef(std::string_view ref) {
  const std::string shown = "invalid repository ref \"" + std::string(ref.substr(0, 64)) + "\": ";
  if (ref.empty() || ref.size() > kMaxRefLength) {
    return Status::InvalidArgument(shown + "use 1 to " + std::to_string(kMaxRefLength) +
                                   " characters, or leave it out for the default branch");
  }
  if (HasSpaceOrControl(ref) || ref.find_first_of("~^:?*[\\") != std::string_view::npos ||
      Contains(ref, "..") || Contains(ref, "@{") || ref.front() == '-' || ref.front() == '/' ||
      ref.back() == '/' || ref.back() == '.') {
    return Status::InvalidArgument(shown +
                                   "name a branch, a tag or a commit (no spaces, \"..\", or any "
                                   "of ~^:?*[\\; not starting with - or /)");
  }
  return Status::Ok();
}

Status ValidateSourceRequest(const SourceRequest& request) {
  const std::string& url = request.url;
  const std::string shown = "invalid repository url \"" + url.substr(0, 80) + "\": ";
  if (url.size() > kMaxUrlLength) {
    return Status::InvalidArgument("invalid repository url: longer than " +
                                   std::to_string(kMaxUrlLength) + " characters");
  }
  const bool https = url.rfind("https://", 0) == 0;
  if (!https && url.rfind("http://", 0) != 0) {
    return Status::InvalidArgument(shown +
                                   "use an https:// (or http://) URL, such as "
                                   "https://github.com/owner/project.git");
  }
  if (HasSpaceOrControl(url)) {
    return Status::InvalidArgument(shown + "spaces and control characters are not allowed");
  }
  const std::string_view rest = std::string_view(url).substr(https ? 8 : 7);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty()) return Status::InvalidArgument(shown + "it names no host");
  if (authority.find('@') != std::string_view::npos) {
    return Status::InvalidArgument(shown +
                                   "credentials do not belong in the URL; send the token in "
                                   "repository.token instead");
  }
  if (request.ref) RP_RETURN_IF_ERROR(ValidateGitRef(*request.ref));
  if (request.username &&
      (request.username->empty() || request.username->size() > kMaxUsernameLength ||
       HasSpaceOrControl(*request.username) || request.username->find(':') != std::string::npos)) {
    return Status::InvalidArgument("invalid repository username: use 1 to " +
                                   std::to_string(kMaxUsernameLength) +
                                   " characters without spaces, control characters or \":\"");
  }
  if (request.token) {
    if (request.token->empty() || request.token->size() > kMaxTokenLength ||
        HasSpaceOrControl(*request.token)) {
      return Status::InvalidArgument("invalid repository token: use 1 to " +
                                     std::to_string(kMaxTokenLength) +
                                     " characters without spaces or control characters");
    }
    if (!https) {
      return Status::InvalidArgument(shown +
                                     "a token is only sent over https; use the https:// URL");
    }
  }
  return Status::Ok();
}

CloneError ClassifyCloneError(std::string_view err) {
  // Order matters: an authentication failure also ends in "returned error: 401".
  if (Contains(err, "Authentication failed") || Contains(err, "could not read Username") ||
      Contains(err, "could not read Password") || Contains(err, "returned error: 401") ||
      Contains(err, "returned error: 403")) {
    return CloneError::kAuthentication;
  }
  if (Contains(err, "Remote branch") || Contains(err, "did not match any") ||
      Contains(err, "not our ref") || Contains(err, "unknown revision") ||
      Contains(err, "reference is not a tree") || Contains(err, "couldn't find remote ref")) {
    return CloneError::kMissingRef;
  }
  if (Contains(err, "Could not resolve host") || Contains(err, "Failed to connect") ||
      Contains(err, "Connection refused") || Contains(err, "Connection timed out") ||
      Contains(err, "timed out") || Contains(err, "No route to host") ||
      Contains(err, "Network is unreachable") || Contains(err, "SSL certificate problem") ||
      Contains(err, "server certificate verification failed") ||
      Contains(err, "Couldn't connect")) {
    return CloneError::kUnreachable;
  }
  if (Contains(err, "not found") || Contains(err, "returned error: 404") ||
      Contains(err, "not valid: is this a git repository") ||
      Contains(err, "does not appear to be a git repository") ||
      Contains(err, "returned error: 400") || Contains(err, "URL using bad/illegal format")) {
    return CloneError::kBadUrl;
  }
  return CloneError::kOther;
}

}  // namespace rockpool
