#include "client/run_api.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "http/curl_client.h"

namespace rockpool::client {

void RunWithApi(const ClientFlags& flags, const ApiCommand& command) {
  auto env = ProcessEnvironment();
  Status status = [&]() -> Status {
    RP_ASSIGN_OR_RETURN(auto config, ResolveClientConfig(flags, env, DefaultConfigFile(env)));
    CurlHttpClient http(config.UnixSocket().empty() ? HttpEndpoint::Tcp(config.api_url)
                                                    : HttpEndpoint::Unix(config.UnixSocket()));
    ApiClient api(http, {config.username, config.password, config.token});
    return command(api, config);
  }();
  if (status.ok()) return;
  std::cout.flush();
  std::cerr << "error: " << status.message() << "\n";
  throw CLI::RuntimeError(1);
}

}  // namespace rockpool::client
