// Which images the engine holds and which workspaces were made from each (instances carry the
// fingerprint they were made from in user.rockpool.image), for `rockpool image ls`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/incus/incus_client.h"

namespace rockpool::incus {

struct ImageUsage {
  std::string fingerprint;
  std::vector<std::string> aliases;
  std::string description;
  std::string created_at;  // as the daemon gives it (RFC 3339); empty for a deleted image
  int64_t size = 0;        // bytes
  bool present = true;     // false: deleted (rebuilt since), yet workspaces were made from it
  std::vector<std::string> workspaces;  // sorted
};

// Every image `images` sees, then every fingerprint that the workspaces `instances` sees name
// but the daemon no longer holds. Templates and spares do not count as users. (Images live in
// the default project, a deployment's instances in its own: two clients, or one twice.)
Result<std::vector<ImageUsage>> ListImageUsage(IncusClient& images, IncusClient& instances);

}  // namespace rockpool::incus
