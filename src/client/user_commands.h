// `rockpool user ls|add|disable|enable|role|passwd|rm` (admins manage accounts) and
// `rockpool whoami`.
#pragma once

#include <CLI/CLI.hpp>

namespace rockpool::client {

// Registers user and whoami on `app`; failures print "error: ..." and exit 1.
void AddUserCommands(CLI::App& app);

}  // namespace rockpool::client
