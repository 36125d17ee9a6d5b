#include "runtime/incus/files.h"

#include <cstdio>

namespace rockpool::incus {

Status PushFile(IncusClient& client, const std::string& instance, const InstanceFilesPost& post) {
  std::string context = "incus: write " + post.path + " in instance " + instance;
  auto prefix = client.HeaderPrefix();
  if (!prefix.ok()) return prefix.status().WithContext(context);
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", post.mode);
  ApiRequest request{.method = "POST",
                     .path = "/1.0/instances/" + UrlEncode(instance) +
                             "/files?path=" + UrlEncode(post.path, /*keep_slashes=*/true),
                     .raw_body = post.directory ? std::string() : post.content,
                     .headers = {{"Content-Type", "application/octet-stream"},
                                 {*prefix + "type", post.directory ? "directory" : "file"},
                                 {*prefix + "uid", std::to_string(post.uid)},
                                 {*prefix + "gid", std::to_string(post.gid)},
                                 {*prefix + "mode", mode},
                                 {*prefix + "write", "overwrite"}}};
  auto r = client.Call(request);
  return r.ok() ? Status::Ok() : r.status().WithContext(context);
}

}  // namespace rockpool::incus
