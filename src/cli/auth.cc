#include "cli/auth.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "auth/bcrypt.h"

namespace rockpool {
namespace {

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

Status Store(const std::string& state_dir, const BasicAuth& auth) {
  const std::string path = AuthFile(state_dir);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << nlohmann::json{{"username", auth.username}, {"bcrypt", auth.bcrypt_hash}}.dump(2)
        << "\n";
    if (!out) return Status::Internal("write " + tmp + " failed");
  }
  chmod(tmp.c_str(), 0600);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::Internal("rename " + tmp + " to " + path + " failed");
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<BasicAuth>> LoadAuth(const std::string& state_dir) {
  std::ifstream in(AuthFile(state_dir));
  if (!in) return std::optional<BasicAuth>();
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("username") || !j.contains("bcrypt")) {
    return Status::InvalidArgument(AuthFile(state_dir) +
                                   " is not valid: delete it and run rockpool up to set "
                                   "new credentials");
  }
  return std::optional<BasicAuth>(BasicAuth{j["username"], j["bcrypt"]});
}

Result<AuthChange> EnsureAuth(const std::string& state_dir) {
  RP_ASSIGN_OR_RETURN(auto stored, LoadAuth(state_dir));
  const std::string user = Env("ROCKPOOL_USERNAME");
  const std::string password = Env("ROCKPOOL_PASSWORD");
  AuthChange change;
  if (!user.empty() && !password.empty()) {
    if (stored && stored->username == user && PasswordMatches(password, stored->bcrypt_hash)) {
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
  RP_RETURN_IF_ERROR(Store(state_dir, change.auth));
  change.changed = true;
  return change;
}

}  // namespace rockpool
