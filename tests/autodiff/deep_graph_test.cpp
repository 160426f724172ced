// Nothing recurses: a chain of 10^7 nested operations and a sum of 10^7 terms record and
// sweep without a stack overflow (libraries that recurse overflow near 2048 levels).
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <cmath>
#include <vector>

using slope::Tape;
using slope::Var;

BOOST_AUTO_TEST_SUITE(deep_graph)

BOOST_AUTO_TEST_CASE(a_chain_of_ten_million_operations) {
  // y_{k+1} = 0.5 y_k + x: dy_n/dx = sum_{k<n} 0.5^k -> 2; recorded without folding so that
  // every operation is its own node and the chain is 10^7 nodes deep.
  constexpr int kDepth = 10'000'000;
  Tape tape;
  auto recording = tape.record({.fuse = false});
  const Var x = tape.input(1.0);
  Var y = x;
  for (int k = 0; k < kDepth / 2; ++k) y = y * 0.5 + x;
  BOOST_TEST(tape.size() == static_cast<std::size_t>(kDepth) + 1);
  tape.backward(y);
  BOOST_TEST(std::fabs(tape.adjoint(x) - 2.0) < 1e-12);
}

BOOST_AUTO_TEST_CASE(a_sum_of_ten_million_terms) {
  constexpr std::size_t kTerms = 10'000'000;
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>(kTerms, 0.5));
  Var s = 0.0;
  for (const Var& xi : x) s += xi * xi;
  tape.backward(s);
  BOOST_TEST(s.value() == 0.25 * kTerms);
  bool all = true;
  for (const Var& xi : x) all = all && tape.adjoint(xi) == 1.0;
  BOOST_TEST(all);
}

BOOST_AUTO_TEST_SUITE_END()
