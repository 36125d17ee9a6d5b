// BasicAuth: the one account that may use Rockpool, as stored in <state>/auth.json.
#pragma once

#include <string>

namespace rockpool {

struct BasicAuth {
  std::string username;
  std::string bcrypt_hash;  // "$2b$..." or "$2a$..."; never the password
};

}  // namespace rockpool
