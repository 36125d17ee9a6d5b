// FakeHttpClient: answers requests from a handler and records every request it was sent, so
// adapter tests assert on exactly what would have gone over the wire.
#pragma once

#include <deque>
#include <fstream>
#include <functional>
#include <mutex>
#include <vector>

#include "http/client.h"

namespace rockpool {

class FakeHttpClient final : public HttpClient {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  FakeHttpClient() = default;
  explicit FakeHttpClient(Handler handler) : handler_(std::move(handler)) {}

  void SetHandler(Handler handler) {
    std::lock_guard lock(mu_);
    handler_ = std::move(handler);
  }
  // Queues a canned response; queued responses are used before the handler.
  void Enqueue(int status, std::string body, Headers headers = {}) {
    std::lock_guard lock(mu_);
    queue_.push_back(HttpResponse{status, std::move(headers), std::move(body)});
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    Handler handler;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
      if (!queue_.empty()) {
        HttpResponse r = std::move(queue_.front());
        queue_.pop_front();
        return ToFile(request, std::move(r));
      }
      handler = handler_;
    }
    if (!handler) return Status::Unavailable("fake http: no response for " + request.target);
    auto r = handler(request);
    if (!r.ok()) return r;
    return ToFile(request, *std::move(r));
  }
  std::string Endpoint() const override { return "fake"; }

  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  // Like the real client: a 2xx body goes to request.response_file when one is asked for.
  static Result<HttpResponse> ToFile(const HttpRequest& request, HttpResponse r) {
    if (request.response_file.empty() || r.status < 200 || r.status >= 300) return r;
    std::ofstream out(request.response_file, std::ios::binary | std::ios::trunc);
    out << r.body;
    if (!out.flush()) return Status::Internal("fake http: write " + request.response_file);
    r.body.clear();
    return r;
  }

  mutable std::mutex mu_;
  Handler handler_;
  std::deque<HttpResponse> queue_;
  std::vector<HttpRequest> requests_;
};

}  // namespace rockpool
