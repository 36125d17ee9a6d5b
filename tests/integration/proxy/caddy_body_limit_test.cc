// Bodies over the limit sent to /api get 413 from Caddy every time, before the control plane
// reads a byte of them: by Content-Length up front, and for chunked bodies (no length) after
// Caddy itself read limit + 1 bytes. Never a 502, and never a dropped connection, except in the
// one case HTTP/1.1 leaves to chance (ChunkedWithExpectContinue...).
#include <fstream>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "caddy_fixture.h"

namespace rockpool::testing {
namespace {

constexpr size_t kLimit = 64 * 1024;

class CaddyBodyLimitTest : public CaddyTest {
 protected:
  std::string WriteBody(const std::string& name, size_t size) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << std::string(size, 'x');
    return path;
  }
  HttpResponse Post(const std::string& body) {
    CurlHttpClient client(
        HttpEndpoint::Tcp("http://127.0.0.1:" + std::to_string(config_.control_port)));
    HttpRequest request;
    request.method = "POST";
    request.target = "/api/workspaces";
    request.headers = {{"Content-Type", "application/json"}};
    request.body = body;
    auto r = client.Send(request);  // no retry: a dropped connection must fail the test
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : HttpResponse{};
  }
  // POSTs `file` with the curl tool; returns "<http code> exit <curl exit code>".
  std::string CurlPost(const std::string& file, const std::vector<std::string>& extra) {
    ProcessSpec spec;
    spec.argv = {"curl",         "-sS",           "-o",      "/dev/null", "-w",
                 "%{http_code}", "--data-binary", "@" + file};
    for (const auto& e : extra) spec.argv.push_back(e);
    spec.argv.push_back("http://127.0.0.1:" + std::to_string(config_.control_port) +
                        "/api/workspaces");
    auto r = runner_.Run(spec);
    if (!r.ok()) return r.status().message();
    return r->output + " exit " + std::to_string(r->exit_code);
  }
  size_t ApiRequestsSeen() { return control_->RecordedUnder("/api/").size(); }
};

TEST_F(CaddyBodyLimitTest, ThreeMegabytesGet413TwentyTimesInARow) {
  const std::string big(3 * 1024 * 1024, 'x');
  for (int i = 0; i < 20; ++i) {
    HttpResponse r = Post(big);
    ASSERT_EQ(r.status, 413) << "attempt " << i << ": " << r.body;
    auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["error"]["code"], "too_large");
    EXPECT_EQ(body["error"]["message"], "body: larger than 65536 bytes; send less");
  }
  EXPECT_EQ(ApiRequestsSeen(), 0u);
}

TEST_F(CaddyBodyLimitTest, ChunkedThreeMegabytesGet413TwentyTimesInARow) {
  std::string file = WriteBody("big", 3 * 1024 * 1024);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(CurlPost(file, {"-H", "Transfer-Encoding: chunked", "-H", "Expect:"}), "413 exit 0")
        << "attempt " << i;
  }
  EXPECT_EQ(ApiRequestsSeen(), 0u);
}

// curl asks for 100-continue before a chunked body. Caddy agrees, reads limit + 1 bytes, answers
// 413 and closes the connection at once, with the rest of the body unread: the kernel then
// resets it, and a client still sending may lose the 413 it was sent (about 1 attempt in 600
// here). Without the Expect header Caddy half-closes and waits before closing (the test above).
// Either way nothing reaches the control plane and nothing else comes back.
TEST_F(CaddyBodyLimitTest, ChunkedWithExpectContinueGets413OrAResetButNeverTheControlPlane) {
  std::string file = WriteBody("big", 3 * 1024 * 1024);
  int answered = 0;
  for (int i = 0; i < 20; ++i) {
    std::string outcome = CurlPost(file, {"-H", "Transfer-Encoding: chunked"});
    if (outcome == "413 exit 0") {
      ++answered;
      continue;
    }
    EXPECT_THAT(outcome, ::testing::MatchesRegex(".*(reset by peer|Recv failure).*exit 5[56]"))
        << "attempt " << i;
  }
  EXPECT_GT(answered, 0);
  EXPECT_EQ(ApiRequestsSeen(), 0u);
}

TEST_F(CaddyBodyLimitTest, WithExpectContinueTheBodyIsNeverSent) {
  std::string file = WriteBody("big", 3 * 1024 * 1024);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(CurlPost(file, {"-H", "Expect: 100-continue"}), "413 exit 0") << "attempt " << i;
  }
  EXPECT_EQ(ApiRequestsSeen(), 0u);
}

TEST_F(CaddyBodyLimitTest, BodiesUpToTheLimitReachTheControlPlaneWhole) {
  EXPECT_EQ(Post(std::string(kLimit, 'x')).status, 200);
  EXPECT_EQ(Post(std::string(kLimit + 1, 'x')).status, 413);
  EXPECT_EQ(CurlPost(WriteBody("limit", kLimit), {"-H", "Transfer-Encoding: chunked"}),
            "200 exit 0");
  EXPECT_EQ(CurlPost(WriteBody("over", kLimit + 1), {"-H", "Transfer-Encoding: chunked"}),
            "413 exit 0");
  EXPECT_EQ(CurlPost(WriteBody("small", 100), {"-H", "Transfer-Encoding: chunked"}), "200 exit 0");
  auto seen = control_->RecordedUnder("/api/");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].body_size, kLimit);
  EXPECT_EQ(seen[1].body_size, kLimit);
  EXPECT_EQ(seen[2].body_size, 100u);
  EXPECT_EQ(Get(config_.control_port, "/api/health").status, 200);  // bodiless requests pass
}

class CaddySmallBodyLimitTest : public CaddyBodyLimitTest {
 protected:
  void Configure(ProxyConfig& config) override { config.api_body_limit = 1000; }
};

TEST_F(CaddySmallBodyLimitTest, TheLimitComesFromTheConfig) {
  HttpResponse r = Post(std::string(1001, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["message"],
            "body: larger than 1000 bytes; send less");
  EXPECT_EQ(Post(std::string(1000, 'x')).status, 200);
}

}  // namespace
}  // namespace rockpool::testing
