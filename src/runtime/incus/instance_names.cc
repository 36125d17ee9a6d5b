#include "runtime/incus/instance_names.h"

#include <cstdint>
#include <cstdio>
#include <random>

namespace rockpool::incus {
namespace {

constexpr size_t kMaxPlainName = 59;
constexpr size_t kKeptPrefix = 48;
constexpr size_t kHashDigits = 11;

// FNV-1a, 64 bit: stable across builds and platforms.
uint64_t Fnv1a64(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string InstanceName(std::string_view workspace) {
  if (workspace.size() <= kMaxPlainName) return "rp-" + std::string(workspace);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(Fnv1a64(workspace)));
  return "rp-" + std::string(workspace.substr(0, kKeptPrefix)) + "-" +
         std::string(hex, kHashDigits);
}

std::string TemplateName(std::string_view fingerprint) {
  return "rp-tpl-" + std::string(fingerprint.substr(0, 12));
}

std::string SpareName(std::string_view fingerprint) {
  return "rps-" + std::string(fingerprint.substr(0, 12));
}

std::string WarmName(std::string_view fingerprint) {
  std::random_device random;
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(random()));
  return "rpw-" + std::string(fingerprint.substr(0, 12)) + "-" + hex;
}

bool IsWarmName(std::string_view instance) { return instance.rfind("rpw-", 0) == 0; }

std::string WarmSocketFile(std::string_view instance) { return std::string(instance) + ".warm"; }

std::string PortDeviceName(int port) { return "port-" + std::to_string(port); }

}  // namespace rockpool::incus
