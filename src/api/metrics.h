// Metrics: a small thread-safe registry rendered in the Prometheus text format (0.0.4).
// The API server records requests; the worker records job durations into the same instance.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/workspace.h"

namespace rockpool::api {

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  // Appends the _bucket, _sum and _count lines; `labels` is "" or `key="value",...`.
  void Render(const std::string& name, const std::string& labels, std::string* out) const;

 private:
  std::vector<double> bounds_;
  std::vector<long long> counts_;  // one per bound, plus +Inf
  double sum_ = 0;
  long long count_ = 0;
};

class Metrics {
 public:
  // rockpool_http_requests_total{route,method,status} and
  // rockpool_http_request_duration_seconds{route}.
  void RecordRequest(std::string_view route, std::string_view method, int status, double seconds);
  // rockpool_job_duration_seconds{kind} (kind: "create", "start", "stop", "delete", ...).
  void RecordJob(std::string_view kind, double seconds);

  // Every metric; rockpool_workspaces{status} from `workspaces` (every status is listed,
  // zero when absent from the map).
  std::string Render(const std::map<WorkspaceStatus, int>& workspaces) const;

 private:
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, long long> requests_;
  std::map<std::string, Histogram> request_seconds_;
  std::map<std::string, Histogram> job_seconds_;
};

// Escapes a label value (backslash, quote, newline).
std::string EscapeLabel(std::string_view value);

}  // namespace rockpool::api
