// Seeded random expression trees over every operation: the tape's gradient matches finite
// differences and the unfolded recording. Arguments pass through smooth maps into each
// operation's domain (log(2 + x^2), asin(0.9 tanh x), ...) so every tree is differentiable.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <memory>
#include <random>
#include <vector>

#include "support/check_derivative.hpp"
#include "support/random_tree.hpp"

namespace bdata = boost::unit_test::data;
using slope::Var;

BOOST_AUTO_TEST_SUITE(random_trees_suite)

BOOST_DATA_TEST_CASE(random_trees_match_finite_differences, bdata::xrange(300), seed) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 7919 + 17);
  const int inputs = 1 + seed % 4;
  const std::shared_ptr<random_trees::Node> tree = random_trees::grow(rng, 2 + seed % 5, inputs);
  std::vector<double> x(static_cast<std::size_t>(inputs));
  for (double& xi : x) xi = std::uniform_real_distribution<double>(-1.5, 1.5)(rng);
  slope::test::check_gradient([tree](auto xs) { return random_trees::evaluate(*tree, xs); }, x, std::nullopt,
                              slope::test::Tolerance{1e-5, 1e-7});
}

BOOST_AUTO_TEST_CASE(every_operation_appears_in_the_generated_trees) {
  // Guards the test above against a generator that only ever builds a few operations.
  std::vector<int> unary_seen(random_trees::kUnary), binary_seen(random_trees::kBinary);
  std::function<void(const random_trees::Node&)> visit = [&](const random_trees::Node& n) {
    if (n.kind == 2) unary_seen[static_cast<std::size_t>(n.op)] = 1;
    if (n.kind == 3) binary_seen[static_cast<std::size_t>(n.op)] = 1;
    if (n.left) visit(*n.left);
    if (n.right) visit(*n.right);
  };
  for (int seed = 0; seed < 300; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 7919 + 17);
    visit(*random_trees::grow(rng, 2 + seed % 5, 1 + seed % 4));
  }
  for (int seen : unary_seen) BOOST_TEST(seen == 1);
  for (int seen : binary_seen) BOOST_TEST(seen == 1);
}

BOOST_AUTO_TEST_SUITE_END()
