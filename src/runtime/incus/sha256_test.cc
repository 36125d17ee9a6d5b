#include "runtime/incus/sha256.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>

namespace rockpool::incus {
namespace {

TEST(Sha256Test, MatchesKnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(std::string(1000, 'a')),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(Sha256Test, FileDigestMatchesKnownDigestAcrossReadChunks) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("rp-sha256-" + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary) << "abc";
  EXPECT_EQ(Sha256File(path.string()).value(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Larger than one 64 KiB read: the file is digested in pieces.
  const std::string big(200'000, 'x');
  std::ofstream(path, std::ios::binary | std::ios::trunc) << big;
  EXPECT_EQ(Sha256File(path.string()).value(), Sha256Hex(big));
  std::filesystem::remove(path);
}

TEST(Sha256Test, MissingFileIsNotFound) {
  EXPECT_EQ(Sha256File("/nonexistent/file").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace rockpool::incus
