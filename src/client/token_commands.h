// `rockpool login`, `rockpool logout` and `rockpool token ls|create|revoke`: API tokens from the
// command line. `login` asks for the password once, makes a token with it and keeps the token
// (never the password) in the user's config file, mode 0600; later commands send the token.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "client/api_client.h"
#include "client/client_config.h"

namespace rockpool::client {

struct LoginRequest {
  std::string config_file;  // where the token is kept
  std::string api_url;      // kept beside it
  std::string username;
  std::string name;  // the token's name
  std::optional<int> expires_in_days;
};

// Makes a token with `api` (signed in with the password) and writes it, with the API URL and
// username, into the config file, removing a password kept there.
Status Login(ApiClient& api, const LoginRequest& request, std::ostream& out);

// Revokes the token kept in `config_file` with `api` (signed in with that token) and removes it
// from the file. A token the server no longer takes is removed all the same.
Status Logout(ApiClient& api, const std::string& config_file, const std::string& token_id,
              std::ostream& out);

// Registers login, logout and token on `app`; failures print "error: ..." and exit 1.
void AddTokenCommands(CLI::App& app);

}  // namespace rockpool::client
