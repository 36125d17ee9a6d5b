#include "store/pg_db.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rockpool::pg {
namespace {

TEST(RewritePlaceholdersTest, NumberedAndBarePlaceholdersBecomeDollarNumbers) {
  EXPECT_EQ(RewritePlaceholders("SELECT a FROM t WHERE b = ? AND c = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = $2");
  EXPECT_EQ(RewritePlaceholders("UPDATE t SET a = ?2 WHERE id = ?10 OR id = ?2"),
            "UPDATE t SET a = $2 WHERE id = $10 OR id = $2");
}

TEST(RewritePlaceholdersTest, QuotedTextIsLeftAlone) {
  EXPECT_EQ(RewritePlaceholders("SELECT '?', 'it''s ?1' WHERE a = ?"),
            "SELECT '?', 'it''s ?1' WHERE a = $1");
}

// A loopback port that completes TCP handshakes (its backlog) and never answers: a database
// host that hangs. Without a connect timeout libpq would wait on it for ever.
class SilentServer {
 public:
  SilentServer() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd_, 8) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
      return;
    }
    port_ = ntohs(addr.sin_port);
  }
  ~SilentServer() {
    if (fd_ >= 0) close(fd_);
  }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  std::string Url(const std::string& params = "") const {
    return "postgresql://rockpool@127.0.0.1:" + std::to_string(port_) + "/rockpool" + params;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

double SecondsToOpen(const std::string& url, Status* error) {
  const auto start = std::chrono::steady_clock::now();
  auto conn = Connection::Open(url);
  *error = conn.ok() ? Status::Ok() : conn.status();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(ConnectionOpenTest, ADatabaseThatNeverAnswersFailsAfterTheDefaultTimeout) {
  SilentServer server;
  Status error;
  const double seconds = SecondsToOpen(server.Url(), &error);
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.code(), Code::kUnavailable);
  EXPECT_THAT(error.message(), testing::HasSubstr("timeout"));
  EXPECT_GE(seconds, kConnectTimeoutSeconds - 1);
  EXPECT_LT(seconds, kConnectTimeoutSeconds + 10);
}

TEST(ConnectionOpenTest, TheUrlsConnectTimeoutWins) {
  SilentServer server;
  Status error;
  const double seconds = SecondsToOpen(server.Url("?connect_timeout=2"), &error);
  ASSERT_FALSE(error.ok());
  EXPECT_THAT(error.message(), testing::HasSubstr("timeout"));
  EXPECT_LT(seconds, kConnectTimeoutSeconds - 1);
}

}  // namespace
}  // namespace rockpool::pg
