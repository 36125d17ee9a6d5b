// The Runtime contract: what every runtime must do as seen through the Runtime interface
// (runtime/runtime.h) alone. One parameterized suite; each runtime instantiates it with a
// factory (the Incus runtime on real LXD in tests/integration/runtime, the Tart runtime
// against a fake `tart` here). Engine-specific behaviour (exec, spares, devices) stays in each
// runtime's own tests.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "runtime/runtime.h"

namespace rockpool::contract {

// One runtime under test, made fresh for each test.
class RuntimeHarness {
 public:
  virtual ~RuntimeHarness() = default;
  virtual Runtime& runtime() = 0;
  // An image Create can use, and one that does not exist.
  virtual std::string image() const = 0;
  virtual std::string missing_image() const = 0;
  // Starts an HTTP server answering 200 on `port` inside the running instance `name`.
  virtual Status ServeInside(const std::string& name, int port) = 0;
  // How long a start may take to become healthy on this runtime.
  virtual std::chrono::milliseconds healthy_timeout() const { return std::chrono::seconds(30); }
};

struct RuntimeFactory {
  std::string label;  // says what runs the tests, e.g. "against a fake tart"
  // The harness, or nullptr with *skip saying why this runtime cannot be tested here.
  std::function<std::unique_ptr<RuntimeHarness>(std::string* skip)> make;
};

inline void PrintTo(const RuntimeFactory& factory, std::ostream* os) { *os << factory.label; }

// The instantiation's test-name suffix: the label's words joined ("AgainstAFakeTart").
std::string FactoryName(const ::testing::TestParamInfo<RuntimeFactory>& info);

class RuntimeContractTest : public ::testing::TestWithParam<RuntimeFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // A fresh workspace name, removed after the test.
  std::string NewWorkspace();
  Runtime& rt() { return harness_->runtime(); }

  std::unique_ptr<RuntimeHarness> harness_;
  std::vector<std::string> created_;
};

}  // namespace rockpool::contract
