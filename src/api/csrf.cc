#include "api/csrf.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace rockpool::api {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "scheme://host[:port]" in lower case, without the scheme's default port.
std::string NormalOrigin(std::string_view origin) {
  std::string o = Lower(Trim(origin));
  if (o.ends_with("/")) o.pop_back();
  if (o.starts_with("http://") && o.ends_with(":80")) o.resize(o.size() - 3);
  if (o.starts_with("https://") && o.ends_with(":443")) o.resize(o.size() - 4);
  return o;
}

std::string OwnOrigin(const GateRequest& r) {
  std::string_view proto = r.forwarded_proto;
  proto = Trim(proto.substr(0, proto.find(',')));  // the first proxy's value
  return NormalOrigin(std::string(proto.empty() ? "http" : proto) + "://" + r.host);
}

bool IsJson(std::string_view content_type) {
  return Lower(Trim(content_type.substr(0, content_type.find(';')))) == "application/json";
}

}  // namespace

bool IsStateChanging(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::optional<std::string> CrossSiteRefusal(const GateRequest& r) {
  if (!IsStateChanging(r.method)) return std::nullopt;
  const std::string what = "refused " + r.method + " " + r.path + ": ";
  constexpr char kWhy[] =
      "; the API accepts changes only from the Rockpool dashboard's own pages and from the CLI, "
      "so that another web site cannot make your browser act for you";
  if (r.sec_fetch_site) {
    const std::string site = Lower(Trim(*r.sec_fetch_site));
    if (site != "same-origin" && site != "none") {
      return what + "the browser reports it was sent from another site (Sec-Fetch-Site: " + site +
             ")" + kWhy;
    }
  }
  if (r.origin) {
    const std::string own = OwnOrigin(r);
    if (r.host.empty() || NormalOrigin(*r.origin) != own) {
      return what + "it was sent by a page of " + std::string(Trim(*r.origin)) + ", not of " + own +
             kWhy;
    }
  }
  if (!IsJson(r.content_type) && !r.has_rockpool_request_header) {
    return what +
           "it has neither Content-Type: application/json nor an X-Rockpool-Request header, "
           "as a form or no-cors request from another site would" +
           kWhy + " (scripts: send X-Rockpool-Request: <your tool's name>)";
  }
  return std::nullopt;
}

std::optional<std::string> CrossOriginRefusal(const GateRequest& r) {
  const std::string mode = Lower(Trim(r.sec_fetch_mode)), dest = Lower(Trim(r.sec_fetch_dest));
  const bool top_level = (r.method == "GET" || r.method == "HEAD") && mode == "navigate" &&
                         (dest == "document" || dest.empty());
  if (top_level) return std::nullopt;
  constexpr char kWhy[] =
      "; a workspace's origin answers only its own pages, so that a page of another workspace "
      "or site cannot read or drive it. Open it in a tab of its own";
  const std::string what = "refused " + r.method + " " + r.path + ": ";
  if (r.sec_fetch_site) {
    const std::string site = Lower(Trim(*r.sec_fetch_site));
    if (site != "same-origin") {
      return what +
             "the browser reports it was sent by a page of another origin (Sec-Fetch-Site: " +
             site + ", Sec-Fetch-Mode: " + (mode.empty() ? "none" : mode) + ")" + kWhy;
    }
  }
  if (r.origin) {
    const std::string own = OwnOrigin(r);
    if (r.host.empty() || NormalOrigin(*r.origin) != own) {
      return what + "it was sent by a page of " + std::string(Trim(*r.origin)) + ", not of " + own +
             kWhy;
    }
  }
  return std::nullopt;
}

}  // namespace rockpool::api
