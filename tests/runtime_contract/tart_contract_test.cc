// The Runtime contract for TartRuntime, against a fake `tart` (no Mac here).
#include "tests/runtime_contract/fake_tart_harness.h"
#include "tests/runtime_contract/runtime_contract.h"

namespace rockpool::contract {
namespace {

INSTANTIATE_TEST_SUITE_P(TartRuntime, RuntimeContractTest,
                         ::testing::Values(RuntimeFactory{
                             .label = "against a fake tart",
                             .make = [](std::string* skip) -> std::unique_ptr<RuntimeHarness> {
                               return FakeTartHarness::Make(skip);
                             }}),
                         FactoryName);

}  // namespace
}  // namespace rockpool::contract
