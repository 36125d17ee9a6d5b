#include "auth/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

namespace rockpool {
namespace {

// OpenSSL 3 looks an algorithm up (under a lock) on every one-shot call; the cache key of
// every request is a digest, so the algorithm is fetched once and each thread keeps a context.
const EVP_MD* Sha256Algorithm() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct ContextDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

Sha256Digest Sha256(std::string_view data) {
  thread_local std::unique_ptr<EVP_MD_CTX, ContextDeleter> ctx(EVP_MD_CTX_new());
  Sha256Digest out;
  unsigned int size = 0;
  if (Sha256Algorithm() == nullptr || !ctx ||
      EVP_DigestInit_ex2(ctx.get(), Sha256Algorithm(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &size) != 1 || size != out.size()) {
    std::abort();  // libcrypto without SHA-256: nothing safe to fall back to
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace rockpool
