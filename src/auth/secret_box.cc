#include "auth/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rockpool::auth {
namespace {

constexpr char kPrefix[] = "v1:";
constexpr int kBase64 = sodium_base64_VARIANT_ORIGINAL;

bool Ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

Status WriteKey(const std::string& path, const std::string& key) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("write " + tmp + ": " + std::strerror(errno));
  const bool written =
      ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::Internal("write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SecretBox>> SecretBox::FromKey(const std::string& key) {
  if (!Ready()) return Status::Internal("libsodium could not be initialised");
  if (key.size() != crypto_secretbox_KEYBYTES) {
    return Status::Internal("a secret key has " + std::to_string(crypto_secretbox_KEYBYTES) +
                            " bytes, not " + std::to_string(key.size()));
  }
  return std::unique_ptr<SecretBox>(new SecretBox(key));
}

Result<std::unique_ptr<SecretBox>> SecretBox::OpenOrCreate(const std::string& path) {
  if (!Ready()) return Status::Internal("libsodium could not be initialised");
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Status::Internal("read " + path + ": " + std::strerror(errno));
    std::string key(crypto_secretbox_KEYBYTES, '\0');
    crypto_secretbox_keygen(reinterpret_cast<unsigned char*>(key.data()));
    RP_RETURN_IF_ERROR(WriteKey(path, key));
    return FromKey(key);
  }
  if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0 || st.st_uid != ::geteuid()) {
    return Status::Internal(
        path +
        " must be a regular file of this user that nobody else may read or write; fix "
        "it with: chown $(id -u) " +
        path + " && chmod 600 " + path);
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream key;
  key << in.rdbuf();
  auto box = FromKey(key.str());
  if (!box.ok()) return box.status().WithContext(path + " is not a Rockpool secret key");
  return box;
}

Result<std::string> SecretBox::Seal(const std::string& plaintext) const {
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        out, reinterpret_cast<const unsigned char*>(key_.data()));
  std::string text(sodium_base64_encoded_len(box.size(), kBase64), '\0');
  sodium_bin2base64(text.data(), text.size(), out, box.size(), kBase64);
  text.resize(text.size() - 1);  // the terminating NUL
  return kPrefix + text;
}

Result<std::string> SecretBox::Open(const std::string& sealed) const {
  const Status damaged = Status::Internal(
      "a sealed secret could not be opened: it is damaged or was sealed under another key");
  if (sealed.rfind(kPrefix, 0) != 0) return damaged;
  const std::string text = sealed.substr(sizeof(kPrefix) - 1);
  std::string box(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), text.data(),
                        text.size(), nullptr, &length, nullptr, kBase64) != 0 ||
      length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return damaged;
  }
  const auto* in = reinterpret_cast<const unsigned char*>(box.data());
  std::string plain(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 in + crypto_secretbox_NONCEBYTES,
                                 length - crypto_secretbox_NONCEBYTES, in,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return damaged;
  }
  return plain;
}

}  // namespace rockpool::auth
