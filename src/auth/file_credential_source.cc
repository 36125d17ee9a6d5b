#include "auth/file_credential_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "auth/password_hash.h"

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
  // "bcrypt": the key of earlier releases.
  const char* key = j.contains("passwordHash") ? "passwordHash" : "bcrypt";
  if (!j.contains(key) || !j[key].is_string() || !ValidPasswordHash(j[key].get<std::string>())) {
    return Status::InvalidArgument(
        "has no valid \"passwordHash\" (an argon2id hash, \"$argon2id$v=19$...\")");
  }
  return BasicAuth{j["username"].get<std::string>(), j[key].get<std::string>()};
}

Status WriteAuthFile(const std::string& path, const BasicAuth& auth) {
  const std::string tmp = path + ".tmp";
  {
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Status::Internal("write " + tmp + ": " + std::strerror(errno));
    ::close(fd);
    std::ofstream out(tmp, std::ios::trunc);
    out << nlohmann::json{{"username", auth.username}, {"passwordHash", auth.password_hash}}.dump(2)
        << "\n";
    out.flush();
    if (!out) return Status::Internal("write " + tmp + " failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::Internal("rename " + tmp + " to " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
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

void FileCredentialSource::Rehash(const BasicAuth& verified, std::string_view password) {
  auto fresh = HashPassword(password);
  if (!fresh.ok()) return;
  std::lock_guard lock(mu_);
  // Only the account that was verified is replaced: `rockpool up` may have changed it since.
  auto stored = Read();
  if (!stored.ok() || stored->username != verified.username ||
      stored->password_hash != verified.password_hash) {
    return;
  }
  (void)WriteAuthFile(path_, BasicAuth{verified.username, *fresh});
}

}  // namespace rockpool::auth
