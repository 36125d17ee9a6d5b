// /etc/rockpool/code-server.yaml, the file code-server reads in every workspace image. The LXD
// image renders the same keys from its template (images/linux/templates/code-server.yaml.tpl).
#pragma once

#include <string>

#include "runtime/runtime.h"

namespace rockpool {

// code-server listens on `host`:`port`: loopback in a container (reached through the engine's
// proxy device), every address in a VM (reached over the VM's network).
std::string RenderCodeServerConfig(const CodeServerConfig& config, const std::string& host,
                                   int port);

}  // namespace rockpool
