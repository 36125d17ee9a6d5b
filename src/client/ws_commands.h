// `rockpool ws ls|create|show|start|stop|rm|open` and `rockpool ws port ls|add|rm`: the REST
// API's client on the command line. The API URL and credentials come from --api-url, --user,
// --password, else the environment, else ~/.config/rockpool/config.json (client_config.h).
#pragma once

#include <CLI/CLI.hpp>

namespace rockpool::client {

// Registers the `ws` subcommand tree on `app`. A failing command prints "error: <message>" to
// stderr and throws CLI::RuntimeError(1), which CLI11_PARSE (or app.exit) turns into exit 1.
void AddWorkspaceCommands(CLI::App& app);

}  // namespace rockpool::client
