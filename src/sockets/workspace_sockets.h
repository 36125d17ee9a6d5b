// The host unix sockets that reach a workspace, named in one place: the runtime creates them
// and the proxy dials them, so both must agree on every name.
//   <socket_dir>/<name>.sock          the workspace's IDE (code-server)
//   <socket_dir>/<name>.<port>.sock   a port forwarded from inside the workspace
// Workspace names cannot contain '.', so one workspace's names never match another's.
#pragma once

#include <string>
#include <string_view>

namespace rockpool::sockets {

// File names inside the socket directory. `name` and `port` are used as given, so the proxy
// may pass placeholders that Caddy fills in per request.
std::string IdeSocketFile(std::string_view name);
std::string PortSocketFile(std::string_view name, std::string_view port);

// Port mode: the header of the control plane's forward-auth answer that names the socket file
// (above) an origin's request goes to; the proxy dials only names of that shape.
inline constexpr char kSocketHeader[] = "X-Rockpool-Socket";

// `dir` without trailing slashes ("/" stays "/").
std::string SocketDir(std::string_view dir);

// Full paths: SocketDir(dir) + "/" + the file name.
std::string IdeSocketPath(std::string_view dir, std::string_view name);
std::string PortSocketPath(std::string_view dir, std::string_view name, int port);

// Whether `file` (a name inside the socket directory) is a socket of workspace `name`: its
// IDE's, or a forwarded port's with a decimal port number.
bool IsSocketFileOf(std::string_view file, std::string_view name);

}  // namespace rockpool::sockets
