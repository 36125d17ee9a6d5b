#include "auth/file_credential_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

namespace rockpool::auth {
namespace {

constexpr off_t kMaxFileBytes = 64 * 1024;  // auth.json is about 120 bytes

bool ValidUsername(const std::string& name) {
  if (name.empty() || name.size() > 128) return false;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == ':') return false;  // basic auth splits at the first ':'
  }
  return true;
}

bool ValidBcryptHash(const std::string& hash) {
  static const std::regex kBcrypt(R"(^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$)");
  return std::regex_match(hash, kBcrypt);
}

}  // namespace

Result<BasicAuth> ParseAuthJson(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument("is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("is not a JSON object");
  if (!j.contains("username") || !j["username"].is_string() ||
      !ValidUsername(j["username"].get<std::string>())) {
    return Status::InvalidArgument(
        "has no valid \"username\" (a non-empty string without ':' or control characters)");
  }
  if (!j.contains("bcrypt") || !j["bcrypt"].is_string() ||
      !ValidBcryptHash(j["bcrypt"].get<std::string>())) {
    return Status::InvalidArgument(
        "has no valid \"bcrypt\" hash (\"$2b$<cost>$...\", 60 characters)");
  }
  return BasicAuth{j["username"].get<std::string>(), j["bcrypt"].get<std::string>()};
}

Status FileCredentialSource::Broken(const std::string& what) const {
  return Status::Unavailable("sign-in is refused: the credentials file " + path_ + " " + what +
                             ". Fix: delete " + path_ +
                             " if it exists and run `rockpool up`, which writes a new one and "
                             "prints its password (set ROCKPOOL_USERNAME and ROCKPOOL_PASSWORD "
                             "first to choose your own)");
}

Result<BasicAuth> FileCredentialSource::Read() const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return Broken(std::string("cannot be read (") + std::strerror(errno) + ")");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Broken("cannot be read");
  auto parsed = ParseAuthJson(text.str());
  if (!parsed.ok()) return Broken(parsed.status().message());
  return parsed;
}

Result<BasicAuth> FileCredentialSource::Current() {
  struct stat st {};
  if (stat(path_.c_str(), &st) != 0) {
    const int err = errno;
    std::lock_guard lock(mu_);
    version_.reset();
    return Broken(err == ENOENT ? "is missing"
                                : std::string("cannot be read (") + std::strerror(err) + ")");
  }
  if (!S_ISREG(st.st_mode)) return Broken("is not a regular file");
  if (st.st_size > kMaxFileBytes) return Broken("is too large to be credentials");
  const Version seen{st.st_dev, st.st_ino, st.st_size,
                     int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec};
  std::lock_guard lock(mu_);
  if (version_ && *version_ == seen) return loaded_;
  // A writer that replaces the file between stat() and the read leaves `seen` stale, so the
  // next call reads again: a change is never missed for longer than one request.
  loaded_ = Read();
  version_ = seen;
  return loaded_;
}

}  // namespace rockpool::auth
