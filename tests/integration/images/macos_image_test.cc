// The macOS workspace image (images/macos) cannot be built without a Mac. What can be checked
// on Linux is checked here:
//   - the Packer template parses, and its build's provisioners validate (every file they
//     upload or run exists), with Debian's Packer 1.6, which has no Tart plugin: the template
//     is validated with its Tart source swapped for Packer's null source;
//   - the guest firewall (images/linux/overlay-vm) lets in the VM's host and nobody else on
//     the VM's network, run in network namespaces that stand in for the VM, its host and a
//     neighbouring VM;
//   - `provision.sh vm`, run in a container of the Linux workspace image made to look like a
//     Cirrus Labs base (admin with a password, sudo, SSH, the guest agent running as admin):
//     the login goes, the guest agent runs as root, the guest firewall is enabled and the
//     VM's own network configuration stays.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "sys/process.h"
#include "tests/integration/test_project.h"

namespace rockpool {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = ROCKPOOL_SOURCE_DIR;

struct Shell {
  int code = -1;
  std::string out;
};

Shell Sh(const std::string& command) {
  RealProcessRunner runner;
  auto r = runner.Run({.argv = {"bash", "-c", command}});
  if (!r.ok()) return {-1, r.status().ToString()};
  return {r->exit_code, r->output};
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class PackerTemplateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/bin/packer", X_OK) != 0) {
      GTEST_SKIP() << "no packer: apt-get install packer (scripts/test.sh installs it)";
    }
    dir_ = fs::temp_directory_path() / ("rp-packer-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "macos");
    // The template refers to ${path.root}/../linux and ${path.root}/setup.sh.
    fs::create_directory_symlink(kSource / "images" / "linux", dir_ / "linux");
    fs::copy_file(kSource / "images" / "macos" / "setup.sh", dir_ / "macos" / "setup.sh");
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // The template with its Tart source replaced by a null source, written beside setup.sh.
  fs::path WithNullSource(std::string text) {
    text = std::regex_replace(text, std::regex(R"(source "tart-cli" "workspace" \{[^}]*\})"),
                              "source \"null\" \"workspace\" {\n  communicator = \"none\"\n}");
    text = std::regex_replace(text, std::regex("source\\.tart-cli\\.workspace"),
                              "source.null.workspace");
    fs::path out = dir_ / "macos" / "rockpool-workspace.pkr.hcl";
    std::ofstream(out) << text;
    return out;
  }

  Shell Validate(const fs::path& file, const std::string& flags = "") {
    return Sh("cd '" + dir_.string() + "' && packer validate " + flags + " '" + file.string() +
              "' 2>&1");
  }

  fs::path dir_;
};

TEST_F(PackerTemplateTest, TemplateParses) {
  Shell r = Sh("packer validate -syntax-only '" +
               (kSource / "images/macos/rockpool-workspace.pkr.hcl").string() + "' 2>&1");
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST_F(PackerTemplateTest, ProvisionersValidateWithEveryFileTheyUpload) {
  std::string text = ReadFile(kSource / "images/macos/rockpool-workspace.pkr.hcl");
  ASSERT_NE(text.find("source \"tart-cli\" \"workspace\""), std::string::npos);
  fs::path file = WithNullSource(text);
  ASSERT_EQ(ReadFile(file).find("tart-cli"), std::string::npos) << "the Tart source is swapped";
  Shell r = Validate(file);
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST_F(PackerTemplateTest, AMissingUploadFailsValidation) {
  // The check above can fail: a template that uploads a folder that is not there does not pass.
  std::string text = ReadFile(kSource / "images/macos/rockpool-workspace.pkr.hcl");
  text = std::regex_replace(text, std::regex(R"(\.\./linux/)"), "../no-such-recipe/");
  Shell r = Validate(WithNullSource(text));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("no-such-recipe"), std::string::npos) << r.out;
}

// Three network namespaces on a bridge of the test's own: "vm" runs the guest firewall and a
// server on :8000 bound to every address (as code-server in a Tart VM); the host is the VM's
// default gateway; "peer" is another VM on the same network.
class GuestFirewallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (getuid() != 0) GTEST_SKIP() << "needs root (network namespaces)";
    id_ = "rpgf" + std::to_string(getpid() % 100000);
    Shell subnet =
        Sh("for i in $(seq 200); do s=10.$((100 + RANDOM % 150)).$((RANDOM % 256)); "
           "ip -4 route | grep -q \"^$s\\.\" || { echo $s; exit 0; }; done; exit 1");
    ASSERT_EQ(subnet.code, 0) << "no free 10.x.y.0/24";
    net_ = subnet.out.substr(0, subnet.out.find('\n'));
    Step("ip link add " + id_ + " type bridge && ip addr add " + net_ + ".1/24 dev " + id_ +
             " && ip link set " + id_ + " up",
         "ip link del " + id_);
    AddNamespace("vm", 2);
    AddNamespace("peer", 3);
    // What code-server is in the VM: a server on every address.
    server_ = Sh("ip netns exec " + id_ +
                 "vm python3 -m http.server 8000 --bind 0.0.0.0 "
                 ">/dev/null 2>&1 & echo $!");
    ASSERT_EQ(server_.code, 0);
    ASSERT_EQ(Sh("for i in $(seq 50); do ip netns exec " + id_ +
                 "vm ss -ltn | grep -q ':8000 ' && exit 0; sleep 0.1; done; exit 1")
                  .code,
              0)
        << "the server in the vm namespace did not listen";
  }
  void TearDown() override {
    if (server_.code == 0) Sh("kill " + server_.out);
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) Sh(*it + " >/dev/null 2>&1");
  }

  void AddNamespace(const std::string& role, int host) {
    std::string ns = id_ + role, veth = id_ + role.substr(0, 1);
    Step("ip netns add " + ns, "ip netns del " + ns);
    Step("ip link add " + veth + " type veth peer name eth0 netns " + ns + " && ip link set " +
             veth + " master " + id_ + " up && ip -n " + ns + " addr add " + net_ + "." +
             std::to_string(host) + "/24 dev eth0 && ip -n " + ns + " link set eth0 up && ip -n " +
             ns + " link set lo up && ip -n " + ns + " route add default via " + net_ + ".1",
         "ip link del " + veth);
  }

  void Step(const std::string& command, const std::string& undo) {
    Shell r = Sh(command + " 2>&1");
    ASSERT_EQ(r.code, 0) << command << ": " << r.out;
    undo_.push_back(undo);
  }

  Shell Firewall(const std::string& stage) {
    return Sh("ip netns exec " + id_ + "vm sh '" +
              (kSource / "images/linux/overlay-vm/usr/local/lib/rockpool/guest-firewall").string() +
              "' " + stage + " 2>&1");
  }

  // Whether a connection to the vm's :8000 from `from` (empty: the host) gets an answer.
  bool Reaches(const std::string& from) {
    std::string prefix = from.empty() ? "" : "ip netns exec " + id_ + from + " ";
    return Sh(prefix + "curl -s -o /dev/null --max-time 2 http://" + net_ + ".2:8000/").code == 0;
  }

  std::string id_, net_;
  Shell server_;
  std::vector<std::string> undo_;
};

TEST_F(GuestFirewallTest, OnlyTheHostReachesTheVmOnceTheNetworkIsUp) {
  ASSERT_TRUE(Reaches("")) << "without the firewall the host reaches the server";
  ASSERT_TRUE(Reaches("peer")) << "without the firewall a neighbouring VM reaches it too";

  Shell base = Firewall("base");
  ASSERT_EQ(base.code, 0) << base.out;
  EXPECT_FALSE(Reaches("")) << "before the network is up nothing comes in";
  EXPECT_FALSE(Reaches("peer"));

  Shell gateway = Firewall("gateway");
  ASSERT_EQ(gateway.code, 0) << gateway.out;
  EXPECT_NE(gateway.out.find(net_ + ".1"), std::string::npos) << gateway.out;
  EXPECT_TRUE(Reaches("")) << "the VM's host, its default gateway, connects";
  EXPECT_FALSE(Reaches("peer")) << "another VM on the same network does not";
  // The VM itself still reaches the outside (replies come back in).
  EXPECT_EQ(Sh("ip netns exec " + id_ +
               "peer python3 -m http.server 8001 --bind 0.0.0.0 "
               ">/dev/null 2>&1 & p=$!; for i in $(seq 50); do ip netns exec " +
               id_ + "vm curl -s -o /dev/null --max-time 1 http://" + net_ +
               ".3:8001/ && { kill $p; exit 0; }; sleep 0.1; done; kill $p; exit 1")
                .code,
            0)
      << "connections the VM opens get their replies";
}

TEST_F(GuestFirewallTest, BaseCanBeLoadedAgainWithoutDuplicates) {
  ASSERT_EQ(Firewall("base").code, 0);
  ASSERT_EQ(Firewall("base").code, 0);
  Shell rules = Sh("ip netns exec " + id_ + "vm nft list table inet rockpool_guest");
  EXPECT_EQ(rules.code, 0);
  // One input chain with one policy: the table was replaced, not stacked.
  size_t first = rules.out.find("policy drop");
  ASSERT_NE(first, std::string::npos) << rules.out;
  EXPECT_EQ(rules.out.find("policy drop", first + 1), std::string::npos) << rules.out;
}

class ProvisionVmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(testing_env::EngineTestProject().empty()) << testing_env::kNoProject;
    const char* image = std::getenv("ROCKPOOL_TEST_IMAGE");
    name_ = "rp-provision-" + std::to_string(getpid());
    Shell launch = Sh("lxc launch " + std::string(image != nullptr ? image : "rockpool-workspace") +
                      " " + name_ + " 2>&1");
    ASSERT_EQ(launch.code, 0) << launch.out;
    launched_ = true;
    Shell push = Sh("lxc file push -r '" + (kSource / "images/linux").string() + "' " + name_ +
                    "/root/ 2>&1");
    ASSERT_EQ(push.code, 0) << push.out;
  }
  void TearDown() override {
    if (launched_) Sh("lxc delete --force " + name_ + " >/dev/null 2>&1");
  }

  Shell In(const std::string& command) {
    return Sh("lxc exec " + name_ + " -- sh -c '" + command + "' 2>&1");
  }
  // Under /root: the boot may still empty /tmp after the push.
  Shell Provision() { return In("/root/linux/provision.sh vm /root/linux"); }

  std::string name_;
  bool launched_ = false;
};

TEST_F(ProvisionVmTest, TakesTheBaseImagesLoginAwayAndRunsTheGuestAgentAsRoot) {
  // What a Cirrus Labs Debian base has: admin/admin with passwordless sudo, and its own network.
  Shell base =
      In("echo admin:admin | chpasswd && usermod -aG sudo admin && mkdir -p /etc/sudoers.d && "
         "echo \"admin ALL=(ALL) NOPASSWD:ALL\" > /etc/sudoers.d/admin && "
         "echo \"# the VM network\" > /etc/network/interfaces");
  ASSERT_EQ(base.code, 0) << base.out;

  // Without the guest agent the VM could not be configured: provisioning refuses.
  Shell without = Provision();
  EXPECT_NE(without.code, 0);
  EXPECT_NE(without.out.find("tart-guest-agent.service"), std::string::npos) << without.out;

  Shell agent =
      In("printf \"[Service]\\nUser=admin\\nExecStart=/bin/sleep infinity\\n[Install]\\n"
         "WantedBy=multi-user.target\\n\" > /etc/systemd/system/tart-guest-agent.service && "
         "systemctl daemon-reload && systemctl enable tart-guest-agent.service");
  ASSERT_EQ(agent.code, 0) << agent.out;
  Shell with = Provision();
  ASSERT_EQ(with.code, 0) << with.out;

  EXPECT_EQ(In("passwd -S admin | cut -d\" \" -f2").out, "L\n") << "admin's password is locked";
  EXPECT_EQ(In("id -nG admin").out.find("sudo"), std::string::npos);
  EXPECT_NE(In("test -e /etc/sudoers.d/admin").code, 0);
  EXPECT_EQ(In("systemctl is-enabled ssh.service").out, "masked\n");
  EXPECT_EQ(In("systemctl daemon-reload && systemctl show -p User tart-guest-agent.service").out,
            "User=root\n");
  EXPECT_EQ(In("systemctl is-enabled rockpool-guest-firewall.service").out, "enabled\n");
  EXPECT_EQ(In("systemctl is-enabled rockpool-guest-firewall-gateway.service").out, "enabled\n");
  EXPECT_EQ(In("systemctl is-enabled code-server.service").out, "enabled\n");
  EXPECT_EQ(In("cat /etc/network/interfaces").out, "# the VM network\n")
      << "the VM keeps its own network configuration";
  EXPECT_EQ(In("test -x /usr/local/lib/rockpool/guest-firewall").code, 0);
  EXPECT_EQ(In("wc -c < /etc/machine-id").out, "0\n") << "the machine id is made at first boot";
}

}  // namespace
}  // namespace rockpool
