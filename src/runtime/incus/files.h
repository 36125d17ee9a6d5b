// Instance files: POST /1.0/instances/<name>/files?path=... (works on stopped instances too).
#pragma once

#include <string>

#include "runtime/incus/incus_client.h"

namespace rockpool::incus {

struct InstanceFilesPost {
  std::string path;     // absolute path inside the instance
  std::string content;  // ignored for directories
  bool directory = false;
  int uid = 0;
  int gid = 0;
  int mode = 0644;
};

// Writes a file (overwriting) or creates a directory. The body goes as
// application/octet-stream: with a form content type LXD stores an empty file.
Status PushFile(IncusClient& client, const std::string& instance, const InstanceFilesPost& post);

}  // namespace rockpool::incus
