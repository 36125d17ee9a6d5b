// BasicAuth: the one account that may use Rockpool, as stored in <state>/auth.json.
#pragma once

#include <string>

namespace rockpool {

struct BasicAuth {
  std::string username;
  std::string password_hash;  // argon2id ("$argon2id$..."), or bcrypt of an earlier release
};

}  // namespace rockpool
