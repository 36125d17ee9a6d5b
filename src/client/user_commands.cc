#include "client/user_commands.h"

#include <iostream>
#include <memory>

#include "api/json_codec.h"
#include "client/prompt.h"
#include "client/run_api.h"
#include "client/table.h"

namespace rockpool::client {
namespace {

using nlohmann::json;

constexpr char kHowElse[] = "pass it on stdin with --password-stdin";

struct UserArgs {
  ClientFlags flags;
  bool json = false;
  std::string username;
  std::string role;
  bool admin = false;
  bool password_stdin = false;
};

// Prints the account as it is now.
Status Show(const UserInfo& user, const std::string& what) {
  std::cout << what << " " << user.username << " (" << RoleName(user.role)
            << (user.disabled ? ", disabled" : "") << ")\n";
  return Status::Ok();
}

void Change(const UserArgs& a, const UserChange& change, const std::string& what) {
  RunWithApi(a.flags, [&](ApiClient& api, const ClientConfig&) -> Status {
    RP_ASSIGN_OR_RETURN(auto user, api.UpdateUser(a.username, change));
    return Show(user, what);
  });
}

}  // namespace

void AddUserCommands(CLI::App& app) {
  auto args = std::make_shared<UserArgs>();
  UserArgs& a = *args;
  auto add_api_flags = [&a](CLI::App* sub) {
    sub->add_option("--api-url", a.flags.api_url,
                    "API base URL: http://<host>:8080 through the proxy (env ROCKPOOL_API_URL)");
    sub->add_option("--user", a.flags.username, "Username (env ROCKPOOL_USERNAME)");
  };
  auto add_name = [&a](CLI::App* sub) {
    sub->add_option("username", a.username, "The account's username")->required();
  };

  CLI::App* whoami = app.add_subcommand("whoami", "Print the account you are signed in as");
  add_api_flags(whoami);
  whoami->callback([args] {
    RunWithApi(args->flags, [](ApiClient& api, const ClientConfig&) -> Status {
      RP_ASSIGN_OR_RETURN(auto me, api.Me());
      std::cout << me.username << " (" << RoleName(me.role) << ")\n";
      return Status::Ok();
    });
  });

  CLI::App* passwd_own = app.add_subcommand(
      "passwd", "Change your own password (asks for the current one, then the new one twice)");
  add_api_flags(passwd_own);
  passwd_own->add_flag("--password-stdin", a.password_stdin,
                       "Read the new password from stdin (the current one from ROCKPOOL_PASSWORD)");
  passwd_own->callback([args] {
    RunWithApi(args->flags, [&](ApiClient& api, const ClientConfig& config) -> Status {
      // The request signs in with the password: a token cannot change it.
      std::string current = config.password;
      if (current.empty()) {
        RP_ASSIGN_OR_RETURN(current, Ask("current password", false,
                                         "set ROCKPOOL_PASSWORD to the current password"));
      }
      RP_ASSIGN_OR_RETURN(auto replacement, AskNewPassword(args->password_stdin, kHowElse));
      ApiClient with_password = api.WithPassword(config.username, current);
      RP_RETURN_IF_ERROR(with_password.ChangeMyPassword(current, replacement));
      std::cout << "changed the password of " << config.username << "\n";
      return Status::Ok();
    });
  });

  CLI::App* user =
      app.add_subcommand("user", "Manage the deployment's accounts (admins; root on the host)");
  user->require_subcommand(1);

  CLI::App* ls = user->add_subcommand("ls", "List the accounts");
  add_api_flags(ls);
  ls->add_flag("--json", a.json, "Print JSON");
  ls->callback([args] {
    RunWithApi(args->flags, [&](ApiClient& api, const ClientConfig&) -> Status {
      RP_ASSIGN_OR_RETURN(auto users, api.ListUsers());
      if (args->json) {
        json items = json::array();
        for (const auto& u : users) items.push_back(api::UserToJson(u));
        std::cout << json{{"items", items}}.dump(2) << "\n";
      } else {
        std::cout << FormatUsers(users);
      }
      return Status::Ok();
    });
  });

  CLI::App* add = user->add_subcommand(
      "add", "Make an account; asks for its password (at least 12 characters)");
  add_api_flags(add);
  add_name(add);
  add->add_flag("--admin", a.admin, "Make it an admin (default: a member)");
  add->add_flag("--password-stdin", a.password_stdin, "Read the password from stdin");
  add->callback([args] {
    RunWithApi(args->flags, [&](ApiClient& api, const ClientConfig&) -> Status {
      RP_ASSIGN_OR_RETURN(auto password, AskNewPassword(args->password_stdin, kHowElse));
      RP_ASSIGN_OR_RETURN(auto made, api.CreateUser(args->username, password,
                                                    args->admin ? Role::kAdmin : Role::kMember));
      return Show(made, "made");
    });
  });

  CLI::App* disable = user->add_subcommand(
      "disable", "Disable an account: its password and API tokens stop working at once");
  add_api_flags(disable);
  add_name(disable);
  disable->callback([args] { Change(*args, {.disabled = true}, "disabled"); });

  CLI::App* enable = user->add_subcommand("enable", "Enable a disabled account again");
  add_api_flags(enable);
  add_name(enable);
  enable->callback([args] { Change(*args, {.disabled = false}, "enabled"); });

  CLI::App* role = user->add_subcommand("role", "Make an account an admin or a member");
  add_api_flags(role);
  add_name(role);
  role->add_option("role", a.role, "admin or member")
      ->required()
      ->check(CLI::IsMember({"admin", "member"}));
  role->callback([args] { Change(*args, {.role = ParseRole(args->role)}, "changed"); });

  CLI::App* passwd = user->add_subcommand("passwd", "Set an account's password");
  add_api_flags(passwd);
  add_name(passwd);
  passwd->add_flag("--password-stdin", a.password_stdin, "Read the password from stdin");
  passwd->callback([args] {
    RunWithApi(args->flags, [&](ApiClient& api, const ClientConfig&) -> Status {
      RP_ASSIGN_OR_RETURN(auto password, AskNewPassword(args->password_stdin, kHowElse));
      RP_ASSIGN_OR_RETURN(auto user, api.UpdateUser(args->username, {.password = password}));
      return Show(user, "set the password of");
    });
  });

  CLI::App* rm = user->add_subcommand(
      "rm", "Delete an account and its API tokens (refused while it owns workspaces)");
  add_api_flags(rm);
  add_name(rm);
  rm->callback([args] {
    RunWithApi(args->flags, [&](ApiClient& api, const ClientConfig&) -> Status {
      RP_RETURN_IF_ERROR(api.DeleteUser(args->username));
      std::cout << "deleted user " << args->username << "\n";
      return Status::Ok();
    });
  });
}

}  // namespace rockpool::client
