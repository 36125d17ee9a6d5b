#include "network/nft_rules.h"

#include <cstdint>
#include <cstdio>
#include <sstream>

namespace rockpool {
namespace {

constexpr char kCommentPrefix[] = "comment \"rockpool firewall ";

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// Lines of chain `input`: what the bridge may send to the host itself.
std::vector<std::string> InputRules(const FirewallPolicy& p) {
  return {"iifname != " + Quoted(p.bridge) + " accept",
          "ct state established,related accept",
          "udp sport 68 udp dport 67 accept",  // DHCP: broadcast, then unicast renewals
          "ip daddr " + p.gateway + " udp dport 53 accept",
          "ip daddr " + p.gateway + " tcp dport 53 accept",
          "drop"};
}

// Lines of chain `forward`: what the host routes for the bridge.
std::vector<std::string> ForwardRules(const FirewallPolicy& p) {
  const std::string in = "iifname " + Quoted(p.bridge) + " ";
  const std::string out = "oifname " + Quoted(p.bridge) + " ";
  std::vector<std::string> rules = {
      in + "oifname " + Quoted(p.bridge) + " drop",  // hairpin: workspace to workspace
      out + "ct state established,related accept",
      out + "drop",  // nothing else is routed into the bridge
      in + "ip daddr 169.254.0.0/16 drop",
  };
  if (!p.egress) {
    rules.push_back(in + "drop");
    return rules;
  }
  for (const std::string& net : p.allowed) {
    rules.push_back(in + "ip daddr " + CanonicalNetwork(net) + " accept");
  }
  for (const std::string& net : p.blocked) {
    rules.push_back(in + "ip daddr " + CanonicalNetwork(net) + " drop");
  }
  rules.push_back(in + "meta nfproto ipv6 drop");  // the bridge has no IPv6 routing
  return rules;
}

void AppendChain(std::ostringstream& out, const std::string& name, const std::string& hook,
                 const std::vector<std::string>& rules) {
  out << "\tchain " << name << " {\n"
      << "\t\ttype filter hook " << hook << " priority filter - 10; policy accept;\n";
  for (const std::string& rule : rules) out << "\t\t" << rule << "\n";
  out << "\t}\n";
}

std::string RenderChains(const FirewallPolicy& policy) {
  std::ostringstream out;
  AppendChain(out, "input", "input", InputRules(policy));
  out << "\n";
  AppendChain(out, "forward", "forward", ForwardRules(policy));
  return out.str();
}

}  // namespace

std::string FirewallTableName(const std::string& bridge) { return "rockpool_" + bridge; }

std::string FirewallDigest(const FirewallPolicy& policy) {
  uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : RenderChains(policy)) {
    hash = (hash ^ c) * 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

std::string RenderFirewallTable(const FirewallPolicy& policy) {
  return "table inet " + FirewallTableName(policy.bridge) + " {\n\t" + kCommentPrefix +
         FirewallDigest(policy) + "\"\n" + RenderChains(policy) + "}\n";
}

std::string RenderFirewallScript(const FirewallPolicy& policy) {
  const std::string table = "table inet " + FirewallTableName(policy.bridge);
  return table + " {}\ndelete " + table + "\n" + RenderFirewallTable(policy);
}

std::vector<std::string> ListingLines(const std::string& listing) {
  std::vector<std::string> lines;
  std::istringstream in(listing);
  std::string line;
  while (std::getline(in, line)) {
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    size_t e = line.find_last_not_of(" \t\r");
    lines.push_back(line.substr(b, e - b + 1));
  }
  return lines;
}

std::string DigestInListing(const std::string& listing) {
  for (const std::string& line : ListingLines(listing)) {
    if (line.rfind(kCommentPrefix, 0) == 0 && line.size() > sizeof(kCommentPrefix)) {
      return line.substr(sizeof(kCommentPrefix) - 1, line.size() - sizeof(kCommentPrefix));
    }
  }
  return "";
}

}  // namespace rockpool
