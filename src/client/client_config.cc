#include "client/client_config.h"

#include <cstdlib>
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

std::string ClientConfig::WorkspaceUrl(const std::string& name) const {
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
  return scheme + "://" + host + ":" + std::to_string(workspace_port) + "/workspace/" + name + "/";
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
  Override(&c.password, env("ROCKPOOL_PASSWORD"));
  if (auto port = env("ROCKPOOL_WORKSPACE_PORT"); port && !port->empty()) {
    c.workspace_port = std::atoi(port->c_str());
  }
  Override(&c.api_url, flags.api_url);
  Override(&c.username, flags.username);
  Override(&c.password, flags.password);
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
