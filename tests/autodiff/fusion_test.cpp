// Statement folding: the tape folds an operation into its operand's node only when that
// operand is the sole holder of the node. These tests try to break that: copies, moves,
// compound assignment, aliasing, positions, and seeded random programs, each checked against
// an unfolded recording and finite differences.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <random>
#include <utility>
#include <vector>

#include "support/check_derivative.hpp"

namespace bdata = boost::unit_test::data;
using slope::Tape;
using slope::Var;
using slope::test::check_gradient;

// A named namespace, not an anonymous one: Boost's data-test fixtures capture these types.
namespace fusion_programs {

/// One statement of a random program over a register file v[0..n): generic in the scalar.
struct Statement {
  int kind;
  int dst, a, b, c;
  double constant;
};

constexpr int kRegisters = 5;
constexpr int kKinds = 14;

std::vector<Statement> random_program(std::uint64_t seed, int length) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> reg(0, kRegisters - 1);
  std::uniform_int_distribution<int> kind(0, kKinds - 1);
  std::uniform_real_distribution<double> constant(-1.5, 1.5);
  std::vector<Statement> program;
  for (int i = 0; i < length; ++i) program.push_back({kind(rng), reg(rng), reg(rng), reg(rng), reg(rng), constant(rng)});
  return program;
}

/// Bounded, smooth functions keep values finite however the statements combine.
template <class T>
auto squash(const T& x) {
  using std::tanh;
  return tanh(x);
}

/// Runs the program on inputs x (one per register, cycled) and returns the sum of registers.
/// Uses every way of handling a value: copies, temporaries, compound assignment, moves.
template <class T>
T run_program(const std::vector<Statement>& program, std::span<const T> x) {
  using std::exp;
  using std::sin;
  using std::sqrt;
  std::vector<T> v;
  for (int i = 0; i < kRegisters; ++i) v.push_back(x[static_cast<std::size_t>(i) % x.size()]);
  for (const Statement& s : program) {
    T& d = v[s.dst];
    const T& a = v[s.a];
    const T& b = v[s.b];
    const T& c = v[s.c];
    switch (s.kind) {
      case 0: d = a * b + c; break;
      case 1: d += a * b; break;
      case 2: d -= squash(a) * s.constant; break;
      case 3: d *= squash(b) + 1.5; break;
      case 4: d /= 2.0 + sin(a); break;
      case 5: d = exp(squash(a - b)) * (c + s.constant); break;
      case 6: {  // a copy of d taken, then d is updated: the copy keeps the old meaning
        T saved = d;
        d += a;
        d = d * saved + squash(b);
        break;
      }
      case 7: {  // a temporary named, moved, then used again
        T t = a * c;
        T u = std::move(t);
        d = t + u * s.constant;
        break;
      }
      case 8: d = (a * b) + (c * a) - (b * c); break;  // two temporaries merged
      case 9: d = squash(d + a) * squash(d - b); break;
      case 10: d = sqrt(a * a + b * b + 1.0); break;
      case 11: {  // a temporary passed through a function that returns its parameter
        auto identity = [](T value) { return value; };
        d = identity(a * b) + identity(c) * 2.0;
        break;
      }
      case 12: d += d; break;  // aliasing: both operands are d
      default: {
        T acc = s.constant;
        for (int k = 0; k < 12; ++k) acc *= squash(v[(s.a + k) % kRegisters]) + 1.1;  // long product chain
        d = squash(acc);
        break;
      }
    }
    d = squash(d);  // keep magnitudes bounded
  }
  T total = 0.0;
  for (const T& r : v) total += r;
  return total;
}

}  // namespace fusion_programs

using fusion_programs::random_program;
using fusion_programs::run_program;

BOOST_AUTO_TEST_SUITE(fusion)

BOOST_DATA_TEST_CASE(random_programs_match_unfused_and_finite_differences, bdata::xrange(60), seed) {
  const auto program = random_program(static_cast<std::uint64_t>(seed) + 1000, 3 + seed % 25);
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
  std::uniform_real_distribution<double> point(-1.0, 1.0);
  std::vector<double> x(3 + seed % 3);
  for (double& xi : x) xi = point(rng);
  check_gradient([&program](auto xs) { return run_program(program, xs); }, x);
}

BOOST_AUTO_TEST_CASE(folding_shrinks_the_tape) {
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>{0.5, 1.5, -2.0});
  const std::size_t inputs = tape.size();
  // One statement, six operations: folded into one node with one edge per operand use.
  const Var y = exp(x[0] * x[1]) + x[2] * 3.0 - sin(x[0]);
  BOOST_TEST(tape.size() == inputs + 1);
  BOOST_TEST(tape.stats().edges == 4U);
  tape.backward(y);
  const double e = std::exp(0.5 * 1.5);
  BOOST_TEST(tape.adjoint(x[0]) == 1.5 * e - std::cos(0.5));
  BOOST_TEST(tape.adjoint(x[1]) == 0.5 * e);
  BOOST_TEST(tape.adjoint(x[2]) == 3.0);
}

BOOST_AUTO_TEST_CASE(accumulating_sum_is_one_node) {
  Tape tape;
  auto recording = tape.record();
  std::vector<double> values(100);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.01 * static_cast<double>(i);
  const std::vector<Var> x = tape.inputs(values);
  Var s = 0.0;
  for (const Var& xi : x) s += xi;
  BOOST_TEST(tape.size() == x.size() + 1);
  tape.backward(s);
  for (const Var& xi : x) BOOST_TEST(tape.adjoint(xi) == 1.0);
}

BOOST_AUTO_TEST_CASE(unfused_recording_keeps_one_node_per_operation) {
  Tape tape;
  auto recording = tape.record({.fuse = false});
  const Var x = tape.input(0.5);
  const Var y = exp(x * x) + 1.0;
  BOOST_TEST(tape.size() == 4U);  // input, mul, exp, add
  BOOST_TEST((tape.operation(3) == slope::op_code<slope::Add>));
  tape.backward(y);
  BOOST_TEST(tape.adjoint(x) == 2 * 0.5 * std::exp(0.25));
}

BOOST_AUTO_TEST_CASE(a_copy_keeps_its_meaning_when_the_original_is_updated) {
  Tape tape;
  auto recording = tape.record();
  const Var a = tape.input(2.0);
  const Var b = tape.input(3.0);
  Var t = a * b;     // t holds the top node alone...
  const Var c = t;   // ...until copied: now both hold it
  t += a;            // must not fold into the shared node
  tape.backward(c);
  BOOST_TEST(c.value() == 6.0);
  BOOST_TEST(tape.adjoint(a) == 3.0);
  BOOST_TEST(tape.adjoint(b) == 2.0);
  tape.backward(t);
  BOOST_TEST(tape.adjoint(a) == 4.0);
}

BOOST_AUTO_TEST_CASE(a_value_returned_after_being_stored_elsewhere_is_not_folded) {
  Tape tape;
  auto recording = tape.record();
  const Var a = tape.input(2.0);
  Var stored;
  auto make = [&]() {
    Var t = a * a;
    stored = t;  // another holder of t's node
    return t;    // returned (possibly by NRVO, keeping t's flags)
  };
  const Var y = make() * 3.0;  // must not rescale the node `stored` refers to
  tape.backward(stored);
  BOOST_TEST(tape.adjoint(a) == 4.0);
  tape.backward(y);
  BOOST_TEST(tape.adjoint(a) == 12.0);
}

BOOST_AUTO_TEST_CASE(a_moved_from_var_keeps_its_meaning) {
  Tape tape;
  auto recording = tape.record();
  const Var a = tape.input(2.0);
  Var t = a * a;
  Var u = std::move(t);
  u *= 5.0;
  tape.backward(t);  // NOLINT(bugprone-use-after-move): moving a Var is copying it
  BOOST_TEST(tape.adjoint(a) == 4.0);
  tape.backward(u);
  BOOST_TEST(tape.adjoint(a) == 20.0);
}

BOOST_AUTO_TEST_CASE(nothing_folds_into_a_node_below_a_position) {
  Tape tape;
  auto recording = tape.record();
  const Var a = tape.input(2.0);
  Var t = a * a;
  const slope::TapePosition position = tape.position();
  const slope::TapeStats before = tape.stats();
  t *= 3.0;  // would fold into t's node, which the position must keep as it is
  BOOST_TEST(tape.size() == before.nodes + 1);
  tape.rewind(position);
  BOOST_TEST(tape.size() == before.nodes);
  BOOST_TEST(tape.stats().edges == before.edges);
}

BOOST_AUTO_TEST_CASE(inputs_are_never_folded_into) {
  Tape tape;
  auto recording = tape.record();
  Var x = tape.input(2.0);
  const Var original = x;
  x *= 3.0;
  x += 1.0;
  tape.backward(x);
  BOOST_TEST(tape.adjoint(original) == 3.0);
  BOOST_TEST((tape.operation(0) == slope::OpCode::Input));
}

BOOST_AUTO_TEST_CASE(long_rescaling_chains_stay_linear) {
  // p *= x[i] rescales the folded node each time; past a few edges the tape starts a new
  // node instead, so a product of n factors costs O(n), not O(n^2).
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>(1000, 1.0001));
  Var p = 1.0;
  for (const Var& xi : x) p *= xi;
  BOOST_TEST(tape.stats().edges < 3 * x.size());
  tape.backward(p);
  for (const Var& xi : x) BOOST_TEST(slope::test::close(tape.adjoint(xi), p.value() / 1.0001, slope::test::kExact));
}

BOOST_AUTO_TEST_SUITE_END()
