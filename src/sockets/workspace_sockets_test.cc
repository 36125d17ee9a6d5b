#include "sockets/workspace_sockets.h"

#include <gtest/gtest.h>

namespace rockpool::sockets {
namespace {

TEST(WorkspaceSocketsTest, NamesTheIdeAndPortSocketsInTheDirectory) {
  EXPECT_EQ(IdeSocketPath("/run/rockpool/sockets", "mine"), "/run/rockpool/sockets/mine.sock");
  EXPECT_EQ(PortSocketPath("/run/rockpool/sockets", "mine", 3000),
            "/run/rockpool/sockets/mine.3000.sock");
}

TEST(WorkspaceSocketsTest, TrailingSlashesOfTheDirectoryAreDropped) {
  EXPECT_EQ(SocketDir("/run/sockets//"), "/run/sockets");
  EXPECT_EQ(SocketDir("/"), "/");
  EXPECT_EQ(IdeSocketPath("/run/sockets/", "a1b"), "/run/sockets/a1b.sock");
  EXPECT_EQ(IdeSocketPath("/", "a1b"), "/a1b.sock");
}

TEST(WorkspaceSocketsTest, FileNamesTakePlaceholdersAsGiven) {
  EXPECT_EQ(IdeSocketFile("{http.regexp.rp_ws.1}"), "{http.regexp.rp_ws.1}.sock");
  EXPECT_EQ(PortSocketFile("{n}", "{p}"), "{n}.{p}.sock");
}

TEST(WorkspaceSocketsTest, RecognisesOnlyTheWorkspacesOwnSockets) {
  EXPECT_TRUE(IsSocketFileOf("abc.sock", "abc"));
  EXPECT_TRUE(IsSocketFileOf("abc.3000.sock", "abc"));
  EXPECT_FALSE(IsSocketFileOf("abcd.sock", "abc"));  // another workspace
  EXPECT_FALSE(IsSocketFileOf("abcd.3000.sock", "abc"));
  EXPECT_FALSE(IsSocketFileOf("abc.x.sock", "abc"));
  EXPECT_FALSE(IsSocketFileOf("abc..sock", "abc"));
  EXPECT_FALSE(IsSocketFileOf("abc.3000", "abc"));
  EXPECT_FALSE(IsSocketFileOf("abc", "abc"));
  EXPECT_FALSE(IsSocketFileOf(".sock", ""));
}

}  // namespace
}  // namespace rockpool::sockets
