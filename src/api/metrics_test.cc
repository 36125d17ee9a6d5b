#include "api/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rockpool::api {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, CountsRequestsByRouteMethodAndStatus) {
  Metrics m;
  m.RecordRequest("/api/workspaces", "GET", 200, 0.002);
  m.RecordRequest("/api/workspaces", "GET", 200, 0.004);
  m.RecordRequest("/api/workspaces", "POST", 400, 0.001);
  std::string text = m.Render({});
  EXPECT_THAT(text, HasSubstr("rockpool_http_requests_total{route=\"/api/workspaces\","
                              "method=\"GET\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("method=\"POST\",status=\"400\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("rockpool_http_request_duration_seconds_bucket{route=\"/api/"
                              "workspaces\",le=\"0.0025\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("rockpool_http_request_duration_seconds_count{route=\"/api/"
                              "workspaces\"} 3\n"));
}

TEST(MetricsTest, ListsEveryWorkspaceStatusWithZeroDefaults) {
  Metrics m;
  std::string text = m.Render({{WorkspaceStatus::kRunning, 3}});
  EXPECT_THAT(text, HasSubstr("rockpool_workspaces{status=\"running\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("rockpool_workspaces{status=\"error\"} 0\n"));
}

TEST(MetricsTest, RecordsJobDurationsByKind) {
  Metrics m;
  m.RecordJob("create", 4.2);
  std::string text = m.Render({});
  EXPECT_THAT(text, HasSubstr("rockpool_job_duration_seconds_bucket{kind=\"create\",le=\"5\"} 1"));
  EXPECT_THAT(text,
              HasSubstr("rockpool_job_duration_seconds_bucket{kind=\"create\",le=\"2.5\"} 0"));
  EXPECT_THAT(text, HasSubstr("rockpool_job_duration_seconds_sum{kind=\"create\"} 4.2"));
}

TEST(MetricsTest, EscapesLabelValues) { EXPECT_EQ(EscapeLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd"); }

}  // namespace
}  // namespace rockpool::api
