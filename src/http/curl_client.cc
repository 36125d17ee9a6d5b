#include "http/curl_client.h"

#include <curl/curl.h>

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace rockpool {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Where a response body goes: `file` once the status is known to be 2xx, else `body`.
struct BodySink {
  CURL* curl = nullptr;
  std::string* body = nullptr;
  const std::string* file_path = nullptr;
  FILE* file = nullptr;
  bool decided = false;
  int open_errno = 0;
};

size_t WriteBody(char* data, size_t size, size_t n, void* out) {
  auto* sink = static_cast<BodySink*>(out);
  if (!sink->decided) {
    sink->decided = true;
    long status = 0;
    curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300 && sink->file_path != nullptr) {
      const int fd =
          ::open(sink->file_path->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      if (fd < 0) {
        sink->open_errno = errno;
        return 0;  // aborts the transfer
      }
      sink->file = ::fdopen(fd, "wb");
      if (sink->file == nullptr) {
        sink->open_errno = errno;
        ::close(fd);
        return 0;
      }
    }
  }
  if (sink->file != nullptr) return std::fwrite(data, 1, size * n, sink->file);
  sink->body->append(data, size * n);
  return size * n;
}

size_t AppendHeader(char* data, size_t size, size_t n, void* out) {
  std::string_view line(data, size * n);
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
  };
  static_cast<Headers*>(out)->emplace_back(trim(line.substr(0, colon)),
                                           trim(line.substr(colon + 1)));
  return size * n;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (std::equal(k.begin(), k.end(), name.begin(), name.end(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return v;
    }
  }
  return "";
}

CurlHttpClient::CurlHttpClient(HttpEndpoint endpoint, Headers default_headers)
    : endpoint_(std::move(endpoint)), default_headers_(std::move(default_headers)) {
  GlobalInitOnce();
  curl_ = curl_easy_init();
}

CurlHttpClient::~CurlHttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

std::string CurlHttpClient::Endpoint() const {
  return endpoint_.unix_socket.empty() ? endpoint_.base_url : "unix:" + endpoint_.unix_socket;
}

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  CURL* c = static_cast<CURL*>(curl_);
  if (c == nullptr) return Status::Internal("curl_easy_init failed");
  curl_easy_reset(c);
  std::string url = endpoint_.base_url + request.target;
  HttpResponse response;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  if (!endpoint_.unix_socket.empty()) {
    curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, endpoint_.unix_socket.c_str());
  } else if (!endpoint_.local_address.empty()) {
    curl_easy_setopt(c, CURLOPT_INTERFACE, ("host!" + endpoint_.local_address).c_str());
  }
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<long>(request.timeout.count(), 10'000)));
  if (request.method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  FILE* upload = nullptr;
  if (!request.body_file.empty()) {
    upload = std::fopen(request.body_file.c_str(), "rb");
    if (upload == nullptr) {
      return Status::NotFound("open " + request.body_file + ": " + std::strerror(errno));
    }
    std::fseek(upload, 0, SEEK_END);
    curl_off_t size = std::ftell(upload);
    std::rewind(upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READDATA, upload);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, size);
  } else if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
             request.method == "PATCH") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_slist* header_list = nullptr;
  auto add_header = [&](const std::string& k, const std::string& v) {
    header_list = curl_slist_append(header_list, (k + ": " + v).c_str());
  };
  for (const auto& [k, v] : default_headers_) add_header(k, v);
  for (const auto& [k, v] : request.headers) add_header(k, v);
  header_list = curl_slist_append(header_list, "Expect:");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list);
  BodySink sink{.curl = c, .body = &response.body};
  if (!request.response_file.empty()) sink.file_path = &request.response_file;
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);

  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(header_list);
  if (upload != nullptr) std::fclose(upload);
  if (sink.file != nullptr && std::fclose(sink.file) != 0 && rc == CURLE_OK) {
    return Status::Internal("write " + request.response_file + ": " + std::strerror(errno));
  }
  if (sink.open_errno != 0) {
    return Status::Internal("open " + request.response_file + ": " +
                            std::strerror(sink.open_errno));
  }
  if (rc == CURLE_WRITE_ERROR && sink.file != nullptr) {
    return Status::Internal("write " + request.response_file + ": disk full or not writable");
  }
  if (rc != CURLE_OK) {
    std::string what =
        request.method + " " + Endpoint() + request.target + ": " + curl_easy_strerror(rc);
    if (rc == CURLE_OPERATION_TIMEDOUT) return Status::DeadlineExceeded(what);
    return Status::Unavailable(what);
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace rockpool
