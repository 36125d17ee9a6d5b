#include "network/firewall_policy.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstdint>
#include <sstream>

namespace rockpool {
namespace {

bool IsBridgeName(const std::string& name) {
  if (name.empty() || name.size() > 15) return false;  // IFNAMSIZ - 1
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

bool IsIpv4(const std::string& text, bool prefix) {
  std::string address = text;
  if (prefix) {
    size_t slash = text.find('/');
    if (slash == std::string::npos) return false;
    address = text.substr(0, slash);
    std::string bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 2) return false;
    for (char c : bits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    if (std::stoi(bits) > 32) return false;
  }
  in_addr parsed{};
  // inet_pton accepts only the dotted quad, which is also how nft prints it back.
  return inet_pton(AF_INET, address.c_str(), &parsed) == 1 &&
         address.find_first_not_of("0123456789.") == std::string::npos;
}

std::string CanonicalNetwork(const std::string& text) {
  if (!IsIpv4(text, true)) return "";
  size_t slash = text.find('/');
  int bits = std::stoi(text.substr(slash + 1));
  in_addr parsed{};
  inet_pton(AF_INET, text.substr(0, slash).c_str(), &parsed);
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  parsed.s_addr = htonl(ntohl(parsed.s_addr) & mask);
  char out[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &parsed, out, sizeof(out));
  return bits == 32 ? std::string(out) : std::string(out) + "/" + std::to_string(bits);
}

Status ValidateFirewallPolicy(const FirewallPolicy& policy) {
  if (!IsBridgeName(policy.bridge)) {
    return Status::InvalidArgument("firewall: bridge name \"" + policy.bridge +
                                   "\" is not a network interface name");
  }
  if (!IsIpv4(policy.gateway, false)) {
    return Status::InvalidArgument("firewall: gateway \"" + policy.gateway +
                                   "\" is not an IPv4 address");
  }
  for (const auto* list : {&policy.blocked, &policy.allowed}) {
    for (const std::string& net : *list) {
      if (!IsIpv4(net, true)) {
        return Status::InvalidArgument("firewall: \"" + net +
                                       "\" is not an IPv4 network (a.b.c.d/n)");
      }
    }
  }
  return Status::Ok();
}

Result<FirewallPolicy> MakeFirewallPolicy(const std::string& bridge, const std::string& subnet,
                                          const std::string& egress, const std::string& allow) {
  FirewallPolicy policy;
  policy.bridge = bridge;
  size_t slash = subnet.find('/');
  policy.gateway = subnet.substr(0, slash);
  if (slash == std::string::npos || !IsIpv4(subnet, true)) {
    return Status::InvalidArgument("ROCKPOOL_SUBNET \"" + subnet +
                                   "\" is not the gateway address with its prefix, e.g. "
                                   "10.187.42.1/24");
  }
  if (egress.empty() || egress == "on") {
    policy.egress = true;
  } else if (egress == "off") {
    policy.egress = false;
  } else {
    return Status::InvalidArgument("ROCKPOOL_EGRESS is \"" + egress + "\"; use on or off");
  }
  std::stringstream items(allow);
  std::string item;
  while (std::getline(items, item, ',')) {
    item = Trim(item);
    if (item.empty()) continue;
    if (item.find('/') == std::string::npos) item += "/32";
    if (!IsIpv4(item, true)) {
      return Status::InvalidArgument("ROCKPOOL_EGRESS_ALLOW: \"" + item +
                                     "\" is not an IPv4 network (a.b.c.d/n)");
    }
    policy.allowed.push_back(item);
  }
  RP_RETURN_IF_ERROR(ValidateFirewallPolicy(policy));
  return policy;
}

}  // namespace rockpool
