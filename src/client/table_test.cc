#include "client/table.h"

#include <gtest/gtest.h>

namespace rockpool::client {
namespace {

TEST(TableTest, AlignsColumnsToTheWidestCell) {
  EXPECT_EQ(FormatTable({"A", "BB"}, {{"long-value", "x"}, {"s", "yy"}}),
            "A           BB\n"
            "long-value  x\n"
            "s           yy\n");
}

TEST(TableTest, WorkspacesShowNameStatusOwnerImageUpdatedAndReason) {
  Workspace ok{"id1",
               "demo",
               WorkspaceStatus::kRunning,
               "rockpool-workspace",
               std::nullopt,
               "2026-01-01T00:00:00Z",
               "2026-01-02T00:00:00Z"};
  ok.owner = "ann";
  Workspace bad{"id2", "broken", WorkspaceStatus::kError, "img", "image missing", "t", "t"};
  EXPECT_EQ(FormatWorkspaces({ok, bad}),
            "NAME    STATUS   OWNER  IMAGE               UPDATED               REASON\n"
            "demo    running  ann    rockpool-workspace  2026-01-02T00:00:00Z\n"
            "broken  error    -      img                 t                     image missing\n");
}

TEST(TableTest, OneWorkspaceShowsItsLimits) {
  Workspace ws{"id1", "demo", WorkspaceStatus::kStopped,     "img", std::nullopt,
               "c",   "u",    WorkspaceLimits{1, 512, 64, 3}};
  EXPECT_EQ(FormatWorkspace(ws, "http://h/"),
            "name:          demo\n"
            "id:            id1\n"
            "status:        stopped\n"
            "image:         img\n"
            "url:           http://h/\n"
            "created:       c\n"
            "updated:       u\n"
            "cpus:          1 core\n"
            "memory:        512 MiB\n"
            "processes:     64\n"
            "disk:          3 GiB\n"
            "idle timeout:  never\n");
  EXPECT_EQ(FormatCpus(0.25), "0.25 cores");
}

TEST(TableTest, OneRunningWorkspaceShowsItsIdleTimeoutLastActivityAndStopTime) {
  Workspace ws{"id1", "demo", WorkspaceStatus::kRunning, "img", std::nullopt, "c", "u"};
  ws.idle_timeout_seconds = 2700;
  ws.last_activity_at = "2026-01-01T10:00:00.000Z";
  ws.idle_stop_at = "2026-01-01T10:45:00.000Z";
  const std::string text = FormatWorkspace(ws, "http://h/");
  EXPECT_NE(text.find("idle timeout:   45 min\n"), std::string::npos) << text;
  EXPECT_NE(text.find("last activity:  2026-01-01T10:00:00.000Z\n"), std::string::npos) << text;
  EXPECT_NE(text.find("idle stop at:   2026-01-01T10:45:00.000Z\n"), std::string::npos) << text;
}

TEST(TableTest, PortsShowTheirForwardedUrl) {
  EXPECT_EQ(FormatPorts({{"id", 3000, "web", "t"}, {"id", 8000, std::nullopt, "t"}},
                        [](int port) { return "http://h:" + std::to_string(port + 17000) + "/"; }),
            "PORT  LABEL  URL\n"
            "3000  web    http://h:20000/\n"
            "8000  -      http://h:25000/\n");
}

}  // namespace
}  // namespace rockpool::client
