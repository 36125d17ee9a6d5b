#include "client/client_config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace rockpool::client {
namespace {

using nlohmann::json;

Status ApplyFile(const std::string& path, ClientConfig* c) {
  std::ifstream in(path);
  if (!in) return Status::Ok();
  json j = json::parse(in, nullptr, false);
  if (!j.is_object()) {
    return Status::InvalidArgument("read " + path +
                                   ": not a JSON object; expected "
                                   "{\"apiUrl\": ..., \"username\": ..., \"password\": ...}");
  }
  try {
    c->api_url = j.value("apiUrl", c->api_url);
    c->username = j.value("username", c->username);
    c->password = j.value("password", c->password);
    c->token = j.value("token", c->token);
    c->token_id = j.value("tokenId", c->token_id);
    c->workspace_port = j.value("workspacePort", c->workspace_port);
  } catch (const json::exception& e) {
    return Status::InvalidArgument("read " + path + ": " + e.what());
  }
  return Status::Ok();
}

void Override(std::string* field, const std::optional<std::string>& value) {
  if (value && !value->empty()) *field = *value;
}

}  // namespace

std::string ClientConfig::UnixSocket() const {
  return api_url.starts_with(kUnixScheme) ? api_url.substr(sizeof kUnixScheme - 1) : "";
}

std::string ClientConfig::HostUrl(int port) const {
  std::string rest = api_url.starts_with(kUnixScheme) ? "http://" + this->host : api_url;
  std::string scheme = "http";
  if (auto p = rest.find("://"); p != std::string::npos) {
    scheme = rest.substr(0, p);
    rest = rest.substr(p + 3);
  }
  std::string host = rest.substr(0, rest.find('/'));
  if (host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return scheme + "://" + host + ":" + std::to_string(port);
}

std::string ClientConfig::WorkspaceUrl(const std::string& name) const {
  return HostUrl(workspace_port) + "/workspace/" + name + "/";
}

Result<ClientConfig> ResolveClientConfig(const ClientFlags& flags, const GetEnv& env,
                                         const std::string& config_file) {
  ClientConfig c;
  if (auto state = env("ROCKPOOL_STATE_DIR"); state && !state->empty()) {
    c.api_url = std::string(kUnixScheme) + *state + "/local.sock";
  }
  Override(&c.host, env("ROCKPOOL_HOST"));
  RP_RETURN_IF_ERROR(ApplyFile(config_file, &c));
  Override(&c.api_url, env("ROCKPOOL_API_URL"));
  Override(&c.username, env("ROCKPOOL_USERNAME"));
  if (auto password = env("ROCKPOOL_PASSWORD"); password && !password->empty()) {
    c.password = *password;
    c.token.clear();  // a password given here outranks a token from the file
    c.token_id.clear();
  }
  if (auto token = env("ROCKPOOL_TOKEN"); token && !token->empty()) {
    c.token = *token;
    c.token_id.clear();
  }
  if (auto port = env("ROCKPOOL_WORKSPACE_PORT"); port && !port->empty()) {
    c.workspace_port = std::atoi(port->c_str());
  }
  Override(&c.api_url, flags.api_url);
  Override(&c.username, flags.username);
  if (!flags.password.empty()) {
    c.password = flags.password;
    c.token.clear();
    c.token_id.clear();
  }
  while (!c.api_url.empty() && c.api_url.back() == '/') c.api_url.pop_back();
  const bool unix_socket = c.api_url.starts_with(std::string(kUnixScheme) + "/");
  if (!unix_socket && !c.api_url.starts_with("http://") && !c.api_url.starts_with("https://")) {
    return Status::InvalidArgument(
        "API URL \"" + c.api_url +
        "\" must start with http://, https:// or unix:/ "
        "(e.g. http://devbox:8080, or unix:/var/lib/rockpool/local.sock)");
  }
  return c;
}

Status UpdateConfigFile(const std::string& config_file, const json& fields,
                        const std::vector<std::string>& remove) {
  namespace fs = std::filesystem;
  json j = json::object();
  if (std::ifstream in(config_file); in) {
    j = json::parse(in, nullptr, false);
    if (!j.is_object()) {
      return Status::InvalidArgument(config_file +
                                     " is not a JSON object; fix or remove it, then try again");
    }
  }
  for (const auto& key : remove) j.erase(key);
  for (const auto& [key, value] : fields.items()) j[key] = value;
  const fs::path path(config_file);
  std::error_code ec;
  if (path.has_parent_path() && !fs::exists(path.parent_path())) {
    fs::create_directories(path.parent_path(), ec);
    if (ec)
      return Status::Unavailable("create " + path.parent_path().string() + ": " + ec.message());
    fs::permissions(path.parent_path(), fs::perms::owner_all, ec);
  }
  const std::string temp = config_file + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status::Unavailable("write " + temp + ": " + std::strerror(errno));
  const std::string text = j.dump(2) + "\n";
  const bool written = ::fchmod(fd, 0600) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!written || ::rename(temp.c_str(), config_file.c_str()) != 0) {
    const std::string why = std::strerror(written ? errno : saved);
    ::unlink(temp.c_str());
    return Status::Unavailable("write " + config_file + ": " + why);
  }
  return Status::Ok();
}

std::string DefaultConfigFile(const GetEnv& env) {
  if (auto xdg = env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) {
    return *xdg + "/rockpool/config.json";
  }
  return env("HOME").value_or("") + "/.config/rockpool/config.json";
}

GetEnv ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

}  // namespace rockpool::client
