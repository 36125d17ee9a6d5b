// SecretBox: seals short secrets (a repository token) for keeping at rest in the store, with
// XSalsa20-Poly1305 (libsodium's crypto_secretbox) under a 256-bit key that lives in a file of
// its own, readable by the control plane's user only. A stolen database holds nothing usable
// without the key file; a sealed value that was changed or sealed under another key fails to
// open rather than yield something else.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace rockpool::auth {

class SecretBox {
 public:
  // Reads the key at `path`, or makes one (32 random bytes, mode 0600, written atomically) when
  // there is none. Internal when the file is not a key or others may read it.
  static Result<std::unique_ptr<SecretBox>> OpenOrCreate(const std::string& path);
  // A box on a given key, for tests.
  static Result<std::unique_ptr<SecretBox>> FromKey(const std::string& key);

  // "v1:" + base64(nonce || ciphertext), a fresh random nonce each time.
  Result<std::string> Seal(const std::string& plaintext) const;
  // Internal when `sealed` is damaged or was sealed under another key.
  Result<std::string> Open(const std::string& sealed) const;

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace rockpool::auth
