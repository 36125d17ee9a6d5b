// FileCredentialSource: the account in <state>/auth.json ({"username", "passwordHash"}), written
// by `rockpool up`; a file of an earlier release has "bcrypt" instead of "passwordHash", and its
// hash is replaced by an argon2id one at the first sign-in. The file is stat()ed on every call and
// read again when its inode, size or modification time changed, so a new password takes effect
// without a restart.
//
// Fails closed: while the file is missing, unreadable or malformed, Current() answers
// Unavailable with a message that says how to fix it, and no request is let through.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <optional>
#include <string>

#include "auth/credential_source.h"

namespace rockpool::auth {

class FileCredentialSource final : public CredentialSource {
 public:
  explicit FileCredentialSource(std::string path) : path_(std::move(path)) {}

  Result<BasicAuth> Current() override;
  void Rehash(const BasicAuth& verified, std::string_view password) override;
  const std::string& path() const { return path_; }

 private:
  // What identifies one version of the file.
  struct Version {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const Version&) const = default;
  };

  Result<BasicAuth> Read() const;
  Status Broken(const std::string& what) const;

  const std::string path_;
  std::mutex mu_;
  std::optional<Version> version_;  // of the file `loaded_` came from
  Result<BasicAuth> loaded_ = Status::Unavailable("not read yet");
};

// Checks the fields of auth.json; exposed for tests and for `rockpool doctor`.
Result<BasicAuth> ParseAuthJson(const std::string& text);

// Replaces `path` with `auth` (mode 0600, written to a temporary file and renamed).
Status WriteAuthFile(const std::string& path, const BasicAuth& auth);

}  // namespace rockpool::auth
