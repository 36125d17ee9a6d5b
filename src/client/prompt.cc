#include "client/prompt.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace rockpool::client {

Result<std::string> Ask(const std::string& prompt, bool echo, const std::string& how_else) {
  if (isatty(STDIN_FILENO) == 0) {
    return Status::InvalidArgument("no terminal to ask for the " + prompt + " on; " + how_else);
  }
  std::cerr << prompt << ": " << std::flush;
  termios saved{};
  const bool hide = !echo && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (hide) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (hide) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  return line;
}

Result<std::string> AskNewPassword(bool from_stdin, const std::string& how_else) {
  std::string password;
  if (from_stdin) {
    std::getline(std::cin, password);
    return password;
  }
  RP_ASSIGN_OR_RETURN(password, Ask("New password", false, how_else));
  RP_ASSIGN_OR_RETURN(auto again, Ask("The same password again", false, how_else));
  if (again != password) return Status::InvalidArgument("the two passwords differ; try again");
  return password;
}

}  // namespace rockpool::client
