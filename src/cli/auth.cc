#include "cli/auth.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "auth/file_credential_source.h"
#include "auth/password_hash.h"
#include "core/user.h"

namespace rockpool {
namespace {

constexpr char kFixBrokenFile[] =
    ": delete it and run `rockpool up` to make new credentials (or set ROCKPOOL_USERNAME and "
    "ROCKPOOL_PASSWORD and run `rockpool up`)";

std::string AuthFile(const std::string& state_dir) { return state_dir + "/auth.json"; }

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

std::string GeneratePassword() {
  static constexpr char kAlphabet[] =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // no look-alikes
  std::random_device rd;                                            // /dev/urandom
  std::uniform_int_distribution<size_t> pick(0, sizeof kAlphabet - 2);
  std::string out;
  for (int i = 0; i < 20; ++i) out += kAlphabet[pick(rd)];
  return out;
}

}  // namespace

Result<std::optional<BasicAuth>> LoadAuth(const std::string& state_dir) {
  const std::string path = AuthFile(state_dir);
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return std::optional<BasicAuth>();
    return Status::InvalidArgument(path + " cannot be read (" + std::strerror(errno) + ")" +
                                   kFixBrokenFile);
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = auth::ParseAuthJson(text.str());
  if (!parsed.ok())
    return Status::InvalidArgument(path + " " + parsed.status().message() + kFixBrokenFile);
  return std::optional<BasicAuth>(*parsed);
}

Result<AuthChange> EnsureAuth(const std::string& state_dir) {
  const std::string user = Env("ROCKPOOL_USERNAME");
  const std::string password = Env("ROCKPOOL_PASSWORD");
  const bool given = !user.empty() && !password.empty();
  auto loaded = LoadAuth(state_dir);
  // A broken file is replaced only by credentials given explicitly, never by generated ones.
  if (!loaded.ok() && !given) return loaded.status();
  const std::optional<BasicAuth> stored = loaded.ok() ? *loaded : std::nullopt;
  AuthChange change;
  if (given) {
    if (password.size() < kMinPasswordLength) {
      return Status::InvalidArgument("ROCKPOOL_PASSWORD is " + std::to_string(password.size()) +
                                     " characters long; use at least " +
                                     std::to_string(kMinPasswordLength));
    }
    if (stored && stored->username == user && PasswordMatches(password, stored->password_hash) &&
        !NeedsRehash(stored->password_hash)) {
      change.auth = *stored;
      return change;
    }
    RP_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
    change.auth = {user, hash};
  } else if (stored) {
    change.auth = *stored;
    return change;
  } else {
    std::string generated = GeneratePassword();
    RP_ASSIGN_OR_RETURN(std::string hash, HashPassword(generated));
    change.auth = {"admin", hash};
    change.new_password = generated;
  }
  RP_RETURN_IF_ERROR(auth::WriteAuthFile(AuthFile(state_dir), change.auth));
  change.changed = true;
  return change;
}

}  // namespace rockpool
