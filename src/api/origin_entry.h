// Port mode's URLs. The seed's workspace URLs on the workspace port stay as entry points:
// /workspace/<name>/<rest> and /workspace/<name>/port/<p>/<rest> redirect to <rest> on the
// origin of that IDE or port. A browser arrives on an origin through its handoff path with a
// one-time ticket, and is sent on to `next`, a path of that origin.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rockpool::api {

inline constexpr std::string_view kHandoffPath = "/.rockpool/handoff";

struct EntryTarget {
  std::string name;
  int forwarded_port = 0;  // 0: the IDE
  std::string rest;        // path and query after the prefix; starts with '/'
};

// The target of a seed URL (raw, as the client sent it); nullopt for any other URI, and for a
// name or port that is not [a-z0-9-]+ / [0-9]+ (those reach no workspace).
std::optional<EntryTarget> ParseEntry(std::string_view uri);

// <proto>://<host name of `host`>:<port><rest>; nullopt when `host` is not a host name or
// address with an optional port.
std::optional<std::string> OriginUrl(std::string_view proto, std::string_view host, int port,
                                     std::string_view rest);

// The port of a Host header's value; 0 when it names none or is not a host.
int HostPort(std::string_view host);

// kHandoffPath with the ticket and where to go next.
std::string HandoffUri(std::string_view ticket, std::string_view next);

struct Handoff {
  std::string ticket;
  std::string next = "/";  // a path of the origin: anything else becomes "/"
};
Handoff ParseHandoff(std::string_view query);

}  // namespace rockpool::api
