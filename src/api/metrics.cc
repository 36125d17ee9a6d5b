#include "api/metrics.h"

#include <fmt/format.h>

namespace rockpool::api {
namespace {

const std::vector<double> kRequestBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                            0.05,   0.1,   0.25,   0.5,   1,    2.5};
const std::vector<double> kJobBounds = {0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

std::string Number(double v) { return fmt::format("{}", v); }

}  // namespace

std::string EscapeLabel(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::Observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  ++counts_[i];
  sum_ += value;
  ++count_;
}

void Histogram::Render(const std::string& name, const std::string& labels, std::string* out) const {
  const std::string sep = labels.empty() ? "" : ",";
  long long cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i];
    const std::string le = i < bounds_.size() ? Number(bounds_[i]) : "+Inf";
    *out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, le, cumulative);
  }
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  *out +=
      fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, braces, Number(sum_), name, braces, count_);
}

void Metrics::RecordRequest(std::string_view route, std::string_view method, int status,
                            double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(route), std::string(method), status}];
  auto it = request_seconds_.try_emplace(std::string(route), kRequestBounds).first;
  it->second.Observe(seconds);
}

void Metrics::RecordJob(std::string_view kind, double seconds) {
  std::lock_guard lock(mu_);
  job_seconds_.try_emplace(std::string(kind), kJobBounds).first->second.Observe(seconds);
}

std::string Metrics::Render(const std::map<WorkspaceStatus, int>& workspaces) const {
  std::string out;
  out += "# HELP rockpool_workspaces Workspaces per status.\n# TYPE rockpool_workspaces gauge\n";
  for (auto s : {WorkspaceStatus::kCreating, WorkspaceStatus::kRunning, WorkspaceStatus::kStopping,
                 WorkspaceStatus::kStopped, WorkspaceStatus::kStarting, WorkspaceStatus::kError}) {
    auto it = workspaces.find(s);
    out += fmt::format("rockpool_workspaces{{status=\"{}\"}} {}\n", StatusName(s),
                       it == workspaces.end() ? 0 : it->second);
  }
  std::lock_guard lock(mu_);
  out +=
      "# HELP rockpool_http_requests_total HTTP requests served.\n"
      "# TYPE rockpool_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out +=
        fmt::format("rockpool_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                    EscapeLabel(route), EscapeLabel(method), status, count);
  }
  out +=
      "# HELP rockpool_http_request_duration_seconds Time to answer an HTTP request.\n"
      "# TYPE rockpool_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : request_seconds_) {
    h.Render("rockpool_http_request_duration_seconds", "route=\"" + EscapeLabel(route) + "\"",
             &out);
  }
  out +=
      "# HELP rockpool_job_duration_seconds Time to run a job, by kind.\n"
      "# TYPE rockpool_job_duration_seconds histogram\n";
  for (const auto& [kind, h] : job_seconds_) {
    h.Render("rockpool_job_duration_seconds", "kind=\"" + EscapeLabel(kind) + "\"", &out);
  }
  return out;
}

}  // namespace rockpool::api
