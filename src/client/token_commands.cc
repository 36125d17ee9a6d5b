#include "client/token_commands.h"

#include <unistd.h>

#include <ctime>
#include <iostream>
#include <memory>

#include "api/json_codec.h"
#include "client/prompt.h"
#include "client/run_api.h"
#include "client/table.h"
#include "http/curl_client.h"

namespace rockpool::client {
namespace {

using nlohmann::json;

constexpr int kDefaultExpiryDays = 90;

struct TokenArgs {
  ClientFlags flags;
  bool json = false;
  std::string name;
  int expires_in_days = kDefaultExpiryDays;  // 0: never
  bool password_stdin = false;
};

std::optional<int> Expiry(const TokenArgs& a) {
  if (a.expires_in_days == 0) return std::nullopt;
  return a.expires_in_days;
}

std::string ExpiryText(const ApiToken& t) {
  return t.expires_at ? "expires " + *t.expires_at : "never expires";
}

constexpr char kHowElse[] =
    "pass it with --user, --password-stdin or ROCKPOOL_USERNAME / ROCKPOOL_PASSWORD";

std::string DefaultTokenName() {
  char host[64] = {};
  gethostname(host, sizeof host - 1);
  std::string name = std::string("login ") + (host[0] != '\0' ? host : "host");
  if (name.size() > 40) name.resize(40);
  char when[32];
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(when, sizeof when, " %Y%m%d-%H%M%S", &utc);
  std::string out;
  for (char c : name + when) {
    const bool allowed = std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                         std::string_view(" ._@:()-").find(c) != std::string_view::npos;
    out += allowed ? c : '-';
  }
  return out;
}

// http://localhost..., http://127.x..., http://[::1]...
bool IsLoopback(const std::string& url) {
  const std::string rest = url.substr(url.find("://") + 3);
  return rest.starts_with("localhost") || rest.starts_with("127.") || rest.starts_with("[::1]");
}

void Fail(const Status& status) {
  std::cout.flush();
  std::cerr << "error: " << status.message() << "\n";
  throw CLI::RuntimeError(1);
}

void RunLogin(const TokenArgs& a) {
  auto env = ProcessEnvironment();
  const std::string file = DefaultConfigFile(env);
  Status status = [&]() -> Status {
    RP_ASSIGN_OR_RETURN(auto config, ResolveClientConfig(a.flags, env, file));
    if (!config.UnixSocket().empty()) {
      return Status::InvalidArgument(
          "rockpool login signs in to a deployment through its proxy: give --api-url "
          "http://<host>:8080 (or set ROCKPOOL_API_URL). On the Rockpool host itself, root's CLI "
          "uses the local socket and needs no sign-in; `rockpool token create NAME` makes a token "
          "for a script");
    }
    if (config.api_url.starts_with("http://") && !IsLoopback(config.api_url)) {
      std::cerr << "warning: " << config.api_url
                << " is plain HTTP: the password and the token cross the network unencrypted\n";
    }
    std::string username = config.username;
    if (username.empty()) {
      RP_ASSIGN_OR_RETURN(username, Ask("username", true, kHowElse));
    }
    // ROCKPOOL_PASSWORD, or a password an earlier release kept in the file (login removes it).
    std::string password = config.password;
    if (a.password_stdin) {
      std::getline(std::cin, password);
    } else if (password.empty()) {
      RP_ASSIGN_OR_RETURN(password, Ask("password for " + username, false, kHowElse));
    }
    CurlHttpClient http(HttpEndpoint::Tcp(config.api_url));
    ApiClient api(http, {username, password, ""});
    LoginRequest request{file, config.api_url, username,
                         a.name.empty() ? DefaultTokenName() : a.name, Expiry(a)};
    return Login(api, request, std::cout);
  }();
  if (!status.ok()) Fail(status);
}

void RunLogout() {
  auto env = ProcessEnvironment();
  const std::string file = DefaultConfigFile(env);
  Status status = [&]() -> Status {
    // What `login` kept, whatever the environment says now.
    const GetEnv nothing = [](const std::string&) { return std::optional<std::string>(); };
    RP_ASSIGN_OR_RETURN(auto kept, ResolveClientConfig({}, nothing, file));
    if (kept.token.empty() || !kept.UnixSocket().empty()) {
      return Status::InvalidArgument("not signed in: " + file + " holds no token");
    }
    CurlHttpClient http(HttpEndpoint::Tcp(kept.api_url));
    ApiClient api(http, {"", "", kept.token});
    return Logout(api, file, kept.token_id, std::cout);
  }();
  if (!status.ok()) Fail(status);
}

// The id of the caller's token whose id or name is `ref`.
Status FindTokenId(ApiClient& api, const std::string& ref, std::string* id) {
  RP_ASSIGN_OR_RETURN(auto tokens, api.ListTokens());
  for (const auto& t : tokens) {
    if (t.id == ref || t.name == ref) {
      *id = t.id;
      return Status::Ok();
    }
  }
  return Status::NotFound("you have no API token with the id or name \"" + ref +
                          "\"; list them with `rockpool token ls`");
}

}  // namespace

Status Login(ApiClient& api, const LoginRequest& request, std::ostream& out) {
  RP_ASSIGN_OR_RETURN(auto created, api.CreateToken(request.name, request.expires_in_days));
  RP_RETURN_IF_ERROR(UpdateConfigFile(request.config_file,
                                      {{"apiUrl", request.api_url},
                                       {"username", request.username},
                                       {"token", created.secret},
                                       {"tokenId", created.token.id}},
                                      {"password"}));
  out << "signed in to " << request.api_url << " as " << request.username << "; token \""
      << created.token.name << "\" (" << ExpiryText(created.token) << ") kept in "
      << request.config_file << "\n";
  return Status::Ok();
}

Status Logout(ApiClient& api, const std::string& config_file, const std::string& token_id,
              std::ostream& out) {
  Status revoked = token_id.empty() ? Status::Ok() : api.RevokeToken(token_id);
  // The server no longer takes the token (revoked or expired already): nothing to undo.
  const bool gone = revoked.code() == Code::kUnauthenticated;
  if (!revoked.ok() && !gone) {
    return revoked.WithContext("sign out (the token stays in " + config_file +
                               " until the server can revoke it; try again)");
  }
  RP_RETURN_IF_ERROR(UpdateConfigFile(config_file, json::object(), {"token", "tokenId"}));
  out << (token_id.empty() ? "removed the token from " : "revoked the token and removed it from ")
      << config_file << "\n";
  return Status::Ok();
}

void AddTokenCommands(CLI::App& app) {
  auto args = std::make_shared<TokenArgs>();
  TokenArgs& a = *args;
  auto add_api_flags = [&a](CLI::App* sub) {
    sub->add_option("--api-url", a.flags.api_url,
                    "API base URL: http://<host>:8080 through the proxy (env ROCKPOOL_API_URL)");
    sub->add_option("--user", a.flags.username, "Username (env ROCKPOOL_USERNAME)");
  };

  CLI::App* login = app.add_subcommand(
      "login", "Sign in to a Rockpool deployment once: asks for the password, keeps an API token");
  add_api_flags(login);
  login->add_flag("--password-stdin", a.password_stdin, "Read the password from stdin");
  login->add_option("--name", a.name, "The token's name (default: login <host> <time>)");
  login->add_option("--expires-days", a.expires_in_days, "Days the token works; 0: never")
      ->capture_default_str()
      ->check(CLI::Range(0, 3650));
  login->callback([args] { RunLogin(*args); });

  CLI::App* logout =
      app.add_subcommand("logout", "Revoke the token `rockpool login` kept, and forget it");
  logout->callback([] { RunLogout(); });

  CLI::App* token = app.add_subcommand("token", "List, make and revoke your API tokens");
  token->require_subcommand(1);
  CLI::App* ls = token->add_subcommand("ls", "List your API tokens (never their secrets)");
  add_api_flags(ls);
  ls->add_flag("--json", a.json, "Print JSON");
  ls->callback([args] {
    RunWithApi(args->flags, [&](ApiClient& client, const ClientConfig&) -> Status {
      RP_ASSIGN_OR_RETURN(auto tokens, client.ListTokens());
      if (args->json) {
        json items = json::array();
        for (const auto& t : tokens) items.push_back(api::ApiTokenToJson(t));
        std::cout << json{{"items", items}}.dump(2) << "\n";
      } else {
        std::cout << FormatTokens(tokens);
      }
      return Status::Ok();
    });
  });
  CLI::App* create = token->add_subcommand(
      "create", "Make an API token; prints its secret once (needs the password or root)");
  add_api_flags(create);
  create->add_option("name", a.name, "The token's name")->required();
  create->add_option("--expires-days", a.expires_in_days, "Days the token works; 0: never")
      ->capture_default_str()
      ->check(CLI::Range(0, 3650));
  create->add_flag("--json", a.json, "Print JSON (the secret is its \"token\")");
  create->callback([args] {
    RunWithApi(args->flags, [&](ApiClient& client, const ClientConfig&) -> Status {
      RP_ASSIGN_OR_RETURN(auto created, client.CreateToken(args->name, Expiry(*args)));
      if (args->json) {
        json body = api::ApiTokenToJson(created.token);
        body["token"] = created.secret;
        std::cout << body.dump(2) << "\n";
        return Status::Ok();
      }
      std::cerr << "token \"" << created.token.name << "\" (" << ExpiryText(created.token)
                << "); its secret is shown only now:\n";
      std::cout << created.secret << "\n";
      return Status::Ok();
    });
  });
  CLI::App* revoke = token->add_subcommand("revoke", "Revoke an API token; it stops at once");
  add_api_flags(revoke);
  revoke->add_option("token", a.name, "The token's id or name")->required();
  revoke->callback([args] {
    RunWithApi(args->flags, [&](ApiClient& api, const ClientConfig&) -> Status {
      std::string id;
      RP_RETURN_IF_ERROR(FindTokenId(api, args->name, &id));
      RP_RETURN_IF_ERROR(api.RevokeToken(id));
      std::cout << "revoked API token " << args->name << "\n";
      return Status::Ok();
    });
  });
}

}  // namespace rockpool::client
