// Asking the person at the terminal for a value the command line did not give.
#pragma once

#include <string>

#include "core/status.h"

namespace rockpool::client {

// One line from the terminal, without echo when `echo` is false. InvalidArgument when stdin is
// no terminal; `how_else` then tells how to pass the value instead.
Result<std::string> Ask(const std::string& prompt, bool echo, const std::string& how_else);

// A new password: from stdin's first line when `from_stdin`, else asked twice at the terminal.
Result<std::string> AskNewPassword(bool from_stdin, const std::string& how_else);

}  // namespace rockpool::client
