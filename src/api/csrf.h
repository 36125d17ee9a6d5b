// The cross-site request rule for state-changing API requests (POST, PUT, PATCH, DELETE):
// a page on another site can make the user's browser send one with the user's cached
// credentials, but it cannot make the browser lie in Fetch Metadata or Origin, and it cannot
// send a JSON content type or a custom header without a CORS preflight, which Rockpool never
// grants. So such a request is refused (403) when
//   - Sec-Fetch-Site is present and is neither "same-origin" nor "none";
//   - Origin is present and is not the request's own origin, <X-Forwarded-Proto or
//     http>://<Host> (default ports ignored, case-insensitive);
//   - it has neither `Content-Type: application/json` nor an X-Rockpool-Request header
//     (which the dashboard and the CLI send on every call).
#pragma once

#include <optional>
#include <string>

#include "api/request_gate.h"

namespace rockpool::api {

bool IsStateChanging(const std::string& method);

// Why `request` is refused as cross-site; nullopt when it may proceed (or changes nothing).
std::optional<std::string> CrossSiteRefusal(const GateRequest& request);

// The rule for a workspace's own origin (port mode): cookies ignore ports, so the browser sends
// a user's cookies for one workspace's origin along with requests that pages of other origins
// on the same host make to it. Such a request is refused unless it is a top-level navigation
// by GET or HEAD (which shows the workspace in a tab of its own, where the other page cannot
// read or drive it). So refused are, when the browser reports them (Fetch Metadata) or an
// Origin header gives them away: fetches, subresources, frames, form posts and WebSocket
// upgrades sent from any origin but the workspace's own. `request.method` is the original
// request's; requests without Fetch Metadata or Origin (scripts, the CLI) pass.
std::optional<std::string> CrossOriginRefusal(const GateRequest& request);

}  // namespace rockpool::api
