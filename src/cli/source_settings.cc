#include "cli/source_settings.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace rockpool {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

}  // namespace

Result<CloneOptions> CloneOptionsFromEnvironment() {
  CloneOptions o;
  if (std::string ca = Env("ROCKPOOL_GIT_CA_FILE"); !ca.empty()) {
    std::ifstream in(ca);
    std::stringstream text;
    text << in.rdbuf();
    if (!in || text.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return Status::InvalidArgument("ROCKPOOL_GIT_CA_FILE=" + ca +
                                     ": not a readable PEM file of certificates; point it at "
                                     "the CA certificate of your git server, or unset it");
    }
    o.ca_pem = text.str();
  }
  if (std::string dotfiles = Env("ROCKPOOL_DOTFILES"); !dotfiles.empty()) {
    Status valid = ValidateSourceRequest({dotfiles});
    if (!valid.ok()) return valid.WithContext("ROCKPOOL_DOTFILES");
    o.dotfiles_url = dotfiles;
  }
  if (std::string timeout = Env("ROCKPOOL_CLONE_TIMEOUT"); !timeout.empty()) {
    char* end = nullptr;
    const long seconds = std::strtol(timeout.c_str(), &end, 10);
    if (end == timeout.c_str() || *end != '\0' || seconds < 10 || seconds > 86400) {
      return Status::InvalidArgument("ROCKPOOL_CLONE_TIMEOUT=" + timeout +
                                     ": give the seconds one clone may take, 10 to 86400");
    }
    o.timeout = std::chrono::seconds(seconds);
  }
  return o;
}

Result<std::unique_ptr<auth::SecretBox>> OpenSecretKey(const std::string& state_dir) {
  auto box = auth::SecretBox::OpenOrCreate(state_dir + "/secret.key");
  if (!box.ok()) return box.status().WithContext("the key that seals repository tokens");
  return box;
}

}  // namespace rockpool
