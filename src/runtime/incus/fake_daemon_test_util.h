// A scripted Incus/LXD daemon for unit tests: routes requests on a FakeHttpClient to
// responders, answers with the daemon's envelopes, and serves recorded fixtures from testdata/.
#pragma once

#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "http/fake_client.h"
#include "runtime/incus/incus_client.h"

namespace rockpool::incus::testing {

inline std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(ROCKPOOL_INCUS_TESTDATA) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline HttpResponse Sync(const Json& metadata, std::string etag = "") {
  Json body = {{"type", "sync"},  {"status", "Success"}, {"status_code", 200},  {"operation", ""},
               {"error_code", 0}, {"error", ""},         {"metadata", metadata}};
  HttpResponse r{200, {}, body.dump()};
  if (!etag.empty()) r.headers.emplace_back("ETag", etag);
  return r;
}

inline HttpResponse Async(const std::string& id) {
  Json body = {{"type", "async"},
               {"status", "Operation created"},
               {"status_code", 100},
               {"operation", "/1.0/operations/" + id},
               {"metadata", {{"id", id}, {"status", "Running"}}}};
  return HttpResponse{202, {}, body.dump()};
}

inline HttpResponse OperationDone(const Json& metadata = nullptr) {
  return Sync({{"status", "Success"}, {"status_code", 200}, {"err", ""}, {"metadata", metadata}});
}

inline HttpResponse Error(int code, const std::string& message) {
  Json body = {{"type", "error"}, {"error_code", code}, {"error", message}, {"metadata", nullptr}};
  return HttpResponse{code, {}, body.dump()};
}

inline HttpResponse Raw(int status, std::string body) { return HttpResponse{status, {}, body}; }

// Routes "<METHOD> <path-prefix>" to responders; the last matching route added wins, so a test
// can override a default. Unrouted requests get LXD's 404.
class FakeDaemon {
 public:
  using Responder = std::function<HttpResponse(const HttpRequest&)>;

  FakeDaemon() {
    http_.SetHandler([this](const HttpRequest& r) -> Result<HttpResponse> { return Route(r); });
    On("GET", "/1.0", [](const HttpRequest&) {
      return Sync({{"environment", {{"server", "lxd"}, {"server_version", "5.0.2"}}}});
    });
    On("GET", "/1.0/instances?", Sync(Json::array()));
  }

  // GET /1.0/instances/<name> answers `instance`, and the listing answers it with the others
  // given so far.
  void HaveInstance(const Json& instance, const std::string& etag = "\"e1\"") {
    const std::string name = instance["name"].get<std::string>();
    On("GET", "/1.0/instances/" + name, Sync(instance, etag));
    Json all = Json::array();
    {
      std::lock_guard lock(mu_);
      listed_[name] = instance;
      for (const auto& [n, one] : listed_) all.push_back(one);
    }
    On("GET", "/1.0/instances?", Sync(all));
  }

  void On(std::string method, std::string prefix, Responder responder) {
    std::lock_guard lock(mu_);
    routes_.push_back({std::move(method), std::move(prefix), std::move(responder)});
  }
  void On(std::string method, std::string prefix, HttpResponse response) {
    On(std::move(method), std::move(prefix), [response](const HttpRequest&) { return response; });
  }

  std::shared_ptr<IncusClient> Client(std::string socket = "/var/lib/lxd/unix.socket") {
    return std::make_shared<IncusClient>(socket,
                                         [this] { return std::make_unique<Forwarder>(&http_); });
  }
  FakeHttpClient& http() { return http_; }
  std::vector<HttpRequest> requests() const { return http_.requests(); }
  // Requests whose "<METHOD> <target>" starts with `prefix`.
  std::vector<HttpRequest> Sent(const std::string& method, const std::string& prefix) const {
    std::vector<HttpRequest> out;
    for (const auto& r : http_.requests()) {
      if (r.method == method && r.target.rfind(prefix, 0) == 0) out.push_back(r);
    }
    return out;
  }

 private:
  struct RouteEntry {
    std::string method;
    std::string prefix;
    Responder responder;
  };
  class Forwarder final : public HttpClient {
   public:
    explicit Forwarder(FakeHttpClient* to) : to_(to) {}
    Result<HttpResponse> Send(const HttpRequest& r) override { return to_->Send(r); }
    std::string Endpoint() const override { return "fake"; }

   private:
    FakeHttpClient* to_;
  };

  HttpResponse Route(const HttpRequest& r) {
    Responder match;
    {
      std::lock_guard lock(mu_);
      for (auto it = routes_.rbegin(); it != routes_.rend(); ++it) {
        bool exact_root = it->prefix == "/1.0" && r.target != "/1.0";
        if (it->method == r.method && !exact_root && r.target.rfind(it->prefix, 0) == 0) {
          match = it->responder;
          break;
        }
      }
    }
    if (!match) return Error(404, "Not found");
    return match(r);
  }

  std::mutex mu_;
  std::vector<RouteEntry> routes_;
  std::map<std::string, Json> listed_;  // GUARDED_BY(mu_)
  FakeHttpClient http_;
};

}  // namespace rockpool::incus::testing
