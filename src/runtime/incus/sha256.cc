#include "runtime/incus/sha256.h"

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace rockpool::incus {
namespace {

struct ContextDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Context = std::unique_ptr<EVP_MD_CTX, ContextDeleter>;

Status CryptoError(const std::string& what) {
  return Status::Internal("sha256: " + what + " failed in libcrypto");
}

Result<Context> NewContext() {
  Context ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return CryptoError("init");
  }
  return ctx;
}

Result<std::string> HexDigest(EVP_MD_CTX* ctx) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx, digest.data(), &size) != 1) return CryptoError("final");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  Result<Context> ctx = NewContext();
  if (ctx.ok() && EVP_DigestUpdate(ctx->get(), data.data(), data.size()) == 1) {
    Result<std::string> hex = HexDigest(ctx->get());
    if (hex.ok()) return *hex;
  }
  std::abort();  // libcrypto without SHA-256: nothing correct to return
}

Result<std::string> Sha256File(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Status::NotFound("open " + path + ": " + std::strerror(errno));
  RP_ASSIGN_OR_RETURN(Context ctx, NewContext());
  std::array<unsigned char, 1 << 16> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) {
    if (EVP_DigestUpdate(ctx.get(), buf.data(), n) != 1) return CryptoError("update " + path);
  }
  if (std::ferror(f.get())) return Status::Internal("read " + path + ": " + std::strerror(errno));
  return HexDigest(ctx.get());
}

}  // namespace rockpool::incus
