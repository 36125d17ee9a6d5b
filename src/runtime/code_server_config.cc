#include "runtime/code_server_config.h"

namespace rockpool {

std::string RenderCodeServerConfig(const CodeServerConfig& config, const std::string& host,
                                   int port) {
  return "bind-addr: " + host + ":" + std::to_string(port) +
         "\n"
         "auth: none\n"
         "disable-telemetry: true\n"
         "disable-update-check: true\n"
         "abs-proxy-base-path: \"" +
         config.base_path + "\"\n";
}

}  // namespace rockpool
