// slope::Function: a replay at x equals a fresh recording at x (random trees over every
// operation, the benchmark kernels a-g), recorded control flow is re-checked, dead code and
// folded constants are counted, non-replayable operations are refused, and one Function is
// evaluated from several threads at once.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>

#include <bit>
#include <random>
#include <stdexcept>
#include <cmath>
#include <thread>
#include <tuple>
#include <vector>

#include "kernels/kernels.hpp"
#include "support/finite_difference.hpp"
#include "support/random_tree.hpp"

namespace bdata = boost::unit_test::data;
using slope::Function;
using slope::ReplayStatus;
using slope::Var;

namespace function_test {

/// Value and gradient of f at x by a fresh recording with the given options.
template <class F>
std::pair<double, std::vector<double>> recorded(F&& f, std::span<const double> x, slope::RecordOptions options) {
  slope::Tape tape;
  auto recording = tape.record(options);
  const std::vector<Var> xs = tape.inputs(x);
  const Var y = f(std::span<const Var>(xs));
  tape.backward(y);
  std::vector<double> grad(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) grad[i] = tape.adjoint(xs[i]);
  return {y.value(), grad};
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

/// |a - b| <= 1e-15 |b| (plus a tiny absolute floor): agreement up to summation order.
bool agrees(double a, double b) { return slope::test::close(a, b, {1e-14, 1e-15}); }

/// A user rule: recordable on a tape, not replayable (OpCode::Custom).
struct Gelu {
  static constexpr std::string_view name = "gelu";
  static double value(double x) { return x; }
  static double partial(double, double) { return 1.0; }
};

}  // namespace function_test

using function_test::agrees;
using function_test::recorded;
using function_test::same_bits;

BOOST_AUTO_TEST_SUITE(function_replay)

BOOST_DATA_TEST_CASE(replay_of_a_random_tree_equals_a_fresh_recording, bdata::xrange(300), seed) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 7919 + 17);
  const int inputs = 1 + seed % 4;
  const std::shared_ptr<random_trees::Node> tree = random_trees::grow(rng, 2 + seed % 5, inputs);
  const auto f = [tree](auto xs) { return random_trees::evaluate(*tree, xs); };
  std::uniform_real_distribution<double> draw(-1.5, 1.5);
  std::vector<double> x0(static_cast<std::size_t>(inputs));
  for (double& xi : x0) xi = draw(rng);
  const Function fn = Function::record(f, x0);
  std::vector<double> grad(x0.size());
  for (int point = 0; point < 3; ++point) {
    std::vector<double> x(x0.size());
    for (double& xi : x) xi = draw(rng);
    const slope::Evaluation e = fn.value_and_gradient(x, grad);
    BOOST_TEST((e.status == ReplayStatus::Ok));  // the trees branch only inside operations
    // The unfolded recording runs the same rules in the same order: the values are equal bit
    // for bit; merged linear chains may sum a gradient entry in another order (last bits).
    const auto [value, expected] = recorded(f, x, {.fuse = false});
    const auto [fused_value, fused] = recorded(f, x, {});
    BOOST_TEST(same_bits(e.value, value), "replay " << e.value << " vs recorded " << value);
    BOOST_TEST(same_bits(fn.value(x).value, value));
    for (std::size_t i = 0; i < x.size(); ++i) {
      BOOST_TEST(slope::test::close(grad[i], expected[i], {1e-15, 1e-17}),
                 "d/dx" << i << ": replay " << grad[i] << " vs " << expected[i]);
      BOOST_TEST(agrees(grad[i], fused[i]), "d/dx" << i << ": replay " << grad[i] << " vs fused " << fused[i]);
    }
  }
}

BOOST_AUTO_TEST_CASE(replay_of_every_benchmark_kernel_equals_a_fresh_recording) {
  std::apply(
      [](const auto&... kernels) {
        (
            [&](const auto& kernel) {
              BOOST_TEST_CONTEXT("kernel " << kernel.id) {
                const auto f = [&kernel](std::span<const Var> x) { return kernel.evaluate(x); };
                const Function fn = Function::record(f, kernel.x0);
                std::vector<double> grad(kernel.x0.size()), by_hand(kernel.x0.size());
                std::vector<double> x = kernel.x1;
                for (int point = 0; point < 3; ++point) {
                  const slope::Evaluation e = fn.value_and_gradient(x, grad);
                  const double value = kernel.gradient(x, by_hand);
                  const auto [recorded_value, recorded_grad] = recorded(f, x, {});
                  // Kernel c shifts by a max taken by comparisons: at another point the max
                  // moves, so the replay must say so, and the shift-invariant result still holds.
                  if (kernel.id != "c") BOOST_TEST((e.status == ReplayStatus::Ok));
                  BOOST_TEST(slope::test::close(e.value, recorded_value, {1e-13, 1e-13}));
                  BOOST_TEST(slope::test::close(e.value, value, {1e-12, 1e-12}));
                  for (std::size_t i = 0; i < x.size(); ++i) {
                    BOOST_TEST(slope::test::close(grad[i], by_hand[i], {1e-10, 1e-12}), "d/dx" << i);
                    // Summation order differs more than in agrees(): the replay computes a common
                    // subexpression once (kernel e's log(sigma), once instead of per row), so its
                    // 1000 contributions reach sigma through one adjoint.
                    if (kernel.id != "c") {
                      BOOST_TEST(slope::test::close(grad[i], recorded_grad[i], {1e-12, 1e-13}),
                                 "d/dx" << i << ": " << grad[i] << " vs " << recorded_grad[i]);
                    }
                  }
                  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.5 * (x[i] + kernel.x0[i]) + 0.01 * point;
                }
              }
            }(kernels),
            ...);
      },
      slope::bench::AllKernels{});
}

BOOST_AUTO_TEST_CASE(kernel_c_reports_the_moved_maximum) {
  const slope::bench::LogSumExp kernel;
  const Function fn = Function::record([&kernel](std::span<const Var> x) { return kernel.evaluate(x); }, kernel.x0);
  BOOST_TEST(fn.stats().decisions == kernel.x0.size());
  BOOST_TEST((fn.value(kernel.x0).status == ReplayStatus::Ok));
  BOOST_TEST((fn.value(kernel.x1).status == ReplayStatus::BranchChanged));
}

BOOST_AUTO_TEST_CASE(fma_and_log_sum_exp_of_a_range_replay) {
  const auto f = [](std::span<const Var> x) {
    const std::vector<Var> terms{x[0], 2.0 * x[1], x[2], Var(0.5)};
    return fma(x[0], x[1], x[2]) + fma(x[0], 3.0, 1.0) + slope::log_sum_exp(terms) + slope::log_sum_exp(x[0], x[2]);
  };
  const Function fn = Function::record(f, std::vector<double>{0.3, -0.7, 1.1});
  const std::vector<double> x{-0.4, 0.9, 0.2};
  std::vector<double> grad(3);
  const slope::Evaluation e = fn.value_and_gradient(x, grad);
  const auto [value, expected] = recorded(f, x, {.fuse = false});
  BOOST_TEST(same_bits(e.value, value));
  for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(slope::test::close(grad[i], expected[i], {1e-15, 1e-17}));
}

BOOST_AUTO_TEST_CASE(jacobian_of_a_vector_function_matches_the_tape) {
  const auto f = [](std::span<const Var> x) {
    return std::vector<Var>{x[0] * x[1], sin(x[0]) + x[2], Var(4.0), exp(x[1] - x[2]) * x[0]};
  };
  const Function fn = Function::record(f, std::vector<double>{0.1, 0.2, 0.3});
  BOOST_TEST(fn.outputs() == 4U);
  const std::vector<double> x{1.5, -0.5, 0.25};
  slope::Jacobian jac;
  BOOST_TEST((fn.jacobian(x, jac) == ReplayStatus::Ok));
  const slope::Jacobian expected = slope::jacobian(f, x);
  BOOST_TEST(jac.rows == expected.rows);
  BOOST_TEST(jac.cols == expected.cols);
  BOOST_TEST(jac.values == expected.values, boost::test_tools::per_element());
  BOOST_TEST(jac.entries == expected.entries, boost::test_tools::per_element());
  std::vector<double> y(4);
  BOOST_TEST((fn.evaluate(x, y, *std::make_unique<Function::Workspace>()) == ReplayStatus::Ok));
  BOOST_TEST(y == expected.values, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(vector_jacobian_products_after_one_forward_replay_match_the_jacobian) {
  const auto f = [](std::span<const Var> x) {
    return std::vector<Var>{x[0] * x[1], sin(x[0]) + x[2], Var(4.0), exp(x[1] - x[2]) * x[0]};
  };
  const Function fn = Function::record(f, std::vector<double>{0.1, 0.2, 0.3});
  const std::vector<double> x{1.5, -0.5, 0.25};
  slope::Jacobian jac;
  BOOST_TEST((fn.jacobian(x, jac) == ReplayStatus::Ok));
  Function::Workspace ws;
  std::vector<double> y(4), grad(3);
  // Before any forward replay on ws there is nothing to pull back.
  BOOST_CHECK_THROW(fn.vector_jacobian_product(std::vector<double>{1, 0, 0, 0}, grad, ws), slope::TapeError);
  BOOST_TEST((fn.evaluate_for_vjp(x, y, ws) == ReplayStatus::Ok));
  BOOST_TEST(y == jac.values, boost::test_tools::per_element());
  // Several weight vectors after the one forward replay: each is w^T J.
  for (const std::vector<double>& w : {std::vector<double>{1, 0, 0, 0}, std::vector<double>{0.5, -2, 3, 1.25}}) {
    fn.vector_jacobian_product(w, grad, ws);
    for (std::size_t j = 0; j < 3; ++j) {
      double expected = 0;
      for (std::size_t i = 0; i < 4; ++i) expected += w[i] * jac.entries[i * 3 + j];
      BOOST_TEST(slope::test::close(grad[j], expected, {1e-15, 1e-15}), j << ": " << grad[j] << " vs " << expected);
    }
  }
  BOOST_CHECK_THROW(fn.vector_jacobian_product(std::vector<double>{1, 0}, grad, ws), slope::ShapeError);
  // A plain evaluate keeps no partials.
  BOOST_TEST((fn.evaluate(x, y, ws) == ReplayStatus::Ok));
  BOOST_CHECK_THROW(fn.vector_jacobian_product(std::vector<double>{1, 0, 0, 0}, grad, ws), slope::TapeError);
}

BOOST_AUTO_TEST_CASE(recording_a_function_leaves_the_outer_recording_active) {
  slope::Tape tape;
  auto recording = tape.record();
  const Var a = tape.input(2.0);
  const Function fn = Function::record([](std::span<const Var> x) { return x[0] * x[0]; }, std::vector<double>{1.0});
  const Var b = a * a;  // still recorded on `tape`, with folding on
  tape.backward(b);
  BOOST_TEST(tape.adjoint(a) == 4.0);
  BOOST_TEST(fn.value(std::vector<double>{3.0}).value == 9.0);
}

BOOST_AUTO_TEST_CASE(a_function_recorded_while_recording_another_keeps_both_apart) {
  // Recordings borrow this thread's recording tapes: one made inside f gets its own.
  std::size_t inner_instructions = 0;
  const Function outer = Function::record(
      [&inner_instructions](std::span<const Var> x) {
        const Function inner =
            Function::record([](std::span<const Var> u) { return exp(u[0]) * u[0]; }, std::vector<double>{0.5});
        inner_instructions = inner.stats().kept;
        const double c = inner.value(std::vector<double>{1.0}).value;  // e, a passive number here
        return c * sin(x[0]) + x[1] * x[1];
      },
      std::vector<double>{0.3, 2.0});
  BOOST_TEST(inner_instructions == 2U);
  std::vector<double> grad(2);
  const slope::Evaluation e = outer.value_and_gradient(std::vector<double>{0.3, 2.0}, grad);
  BOOST_TEST(e.value == std::exp(1.0) * std::sin(0.3) + 4.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(grad[0] == std::exp(1.0) * std::cos(0.3), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(grad[1] == 4.0);
}

BOOST_AUTO_TEST_CASE(a_recording_after_one_that_threw_starts_clean) {
  // The recording tape is reused: what a failed recording left (nodes, constants, decisions)
  // must not reach the next one.
  BOOST_CHECK_THROW(Function::record(
                        [](std::span<const Var> x) -> Var {
                          const Var y = 7.0 * x[0] + 3.0;
                          if (y > 1.0) throw std::runtime_error("stop");  // a decision, then an exception
                          return y;
                        },
                        std::vector<double>{1.0}),
                    std::runtime_error);
  const Function fn = Function::record([](std::span<const Var> x) { return 2.0 * x[0]; }, std::vector<double>{1.0});
  BOOST_TEST(fn.stats().recorded == 1U);
  BOOST_TEST(fn.stats().constants == 1U);  // the 2
  BOOST_TEST(fn.stats().decisions == 0U);
  std::vector<double> grad(1);
  BOOST_TEST(fn.value_and_gradient(std::vector<double>{-5.0}, grad).value == -10.0);
  BOOST_TEST(grad[0] == 2.0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(function_control_flow)

namespace {
Var branchy(std::span<const Var> x) {
  if (x[0] < x[1]) return x[0] * x[1];
  return x[0] + x[1];
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_comparison_that_flips_reports_branch_changed) {
  const Function fn = Function::record(branchy, std::vector<double>{1.0, 2.0});
  BOOST_TEST(fn.stats().decisions == 1U);
  std::vector<double> grad(2);
  const slope::Evaluation same_side = fn.value_and_gradient(std::vector<double>{1.5, 3.0}, grad);
  BOOST_TEST((same_side.status == ReplayStatus::Ok));
  BOOST_TEST(same_side.value == 4.5);
  BOOST_TEST(grad == (std::vector<double>{3.0, 1.5}), boost::test_tools::per_element());
  const slope::Evaluation other_side = fn.value_and_gradient(std::vector<double>{3.0, 2.0}, grad);
  BOOST_TEST((other_side.status == ReplayStatus::BranchChanged));
  BOOST_TEST(!other_side.ok());
  // The tie is the other branch as well (x < y is false there).
  BOOST_TEST((fn.value(std::vector<double>{2.0, 2.0}).status == ReplayStatus::BranchChanged));
  // Re-recording at the new point follows the new path.
  const Function again = Function::record(branchy, std::vector<double>{3.0, 2.0});
  BOOST_TEST((again.value_and_gradient(std::vector<double>{3.0, 2.0}, grad).status == ReplayStatus::Ok));
  BOOST_TEST(grad == (std::vector<double>{1.0, 1.0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(comparisons_with_numbers_equality_and_rounding_are_checked) {
  const auto f = [](std::span<const Var> x) {
    Var y = x[0];
    if (x[0] > 0.5) y = y * 2.0;      // Var vs double
    if (1.0 >= x[1]) y = y + x[1];    // double vs Var (rewritten to x[1] <=> 1.0)
    if (x[2] == 0.0) y = y + 10.0;    // equality
    return y * floor(x[3]);           // a rounding function returns a constant
  };
  const Function fn = Function::record(f, std::vector<double>{1.0, 0.0, 0.0, 2.5});
  BOOST_TEST(fn.stats().decisions == 4U);
  const auto status = [&fn](std::vector<double> x) { return fn.value(x).status; };
  BOOST_TEST((status({2.0, -1.0, 0.0, 2.9}) == ReplayStatus::Ok));
  BOOST_TEST((status({0.2, -1.0, 0.0, 2.9}) == ReplayStatus::BranchChanged));
  BOOST_TEST((status({2.0, 1.5, 0.0, 2.9}) == ReplayStatus::BranchChanged));
  BOOST_TEST((status({2.0, -1.0, 1e-300, 2.9}) == ReplayStatus::BranchChanged));
  BOOST_TEST((status({2.0, -1.0, 0.0, 3.0}) == ReplayStatus::BranchChanged));
  // fmax, fmin and abs are operations with their own rules: no decision, exact at any input.
  const Function kinks = Function::record(
      [](std::span<const Var> x) { return fmax(x[0], x[1]) + abs(x[0]) * fmin(x[1], 0.0); },
      std::vector<double>{1.0, 2.0});
  BOOST_TEST(kinks.stats().decisions == 0U);
  std::vector<double> grad(2);
  BOOST_TEST((kinks.value_and_gradient(std::vector<double>{-3.0, -4.0}, grad).status == ReplayStatus::Ok));
  BOOST_TEST(grad == (std::vector<double>{1.0 + 4.0, 3.0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(comparisons_of_constants_are_not_decisions) {
  const Function fn = Function::record(
      [](std::span<const Var> x) {
        const Var two = 2.0;
        return two < Var(3.0) ? x[0] * two : x[0];
      },
      std::vector<double>{1.0});
  BOOST_TEST(fn.stats().decisions == 0U);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(function_compilation)

BOOST_AUTO_TEST_CASE(dead_code_is_dropped_and_constant_operations_are_folded) {
  const Function fn = Function::record(
      [](std::span<const Var> x) {
        const Var unused = exp(x[0]) * x[1];         // 2 operations nothing depends on
        const Var c = sqrt(Var(2.0)) * Var(3.0);     // 2 operations on constants
        return x[0] * c + sin(x[1]);                 // sin, and x0 * c + sin as one linear combination
      },
      std::vector<double>{0.5, 0.25});
  const slope::FunctionStats& s = fn.stats();
  BOOST_TEST(s.recorded == 5U);
  BOOST_TEST(s.kept == 2U);
  BOOST_TEST(s.dead == 2U);
  BOOST_TEST(s.merged == 1U);     // x0 * c became a term of the addition
  BOOST_TEST(s.precomputed == 2U);
  BOOST_TEST(s.constants == 1U);  // the folded 3 sqrt(2)
  BOOST_TEST(s.edges == 3U);      // sin, and the combination's two terms
  std::vector<double> grad(2);
  BOOST_TEST((fn.value_and_gradient(std::vector<double>{1.0, 0.0}, grad).status == ReplayStatus::Ok));
  BOOST_TEST(grad[0] == std::sqrt(2.0) * 3.0);
  BOOST_TEST(grad[1] == 1.0);
}

BOOST_AUTO_TEST_CASE(linear_chains_merge_without_changing_values) {
  const auto f = [](std::span<const Var> x) {
    Var s = 0.5;
    for (int k = 0; k < 6; ++k) s += 0.25 * k * x[k % 2] - x[1] * 3.0;  // x1 repeats in the chain
    const Var squared = s * s;            // s is an operand of a product: it stays one combination
    return squared - 2.0 * x[0] + x[1];   // a second combination
  };
  const std::vector<double> x0{0.3, -0.7};
  const Function fn = Function::record(f, x0);
  // Per step: two products with constants and their difference merge into one combination
  // (the right operand of +=, evaluated on its own to keep the recorded rounding), the +=
  // chain into another; then s * s, and one combination for the return value.
  BOOST_TEST(fn.stats().recorded == 28U);
  BOOST_TEST(fn.stats().kept == 9U);
  BOOST_TEST(fn.stats().merged == 19U);
  const std::vector<double> x{1.1, 0.4};
  std::vector<double> grad(2);
  const slope::Evaluation e = fn.value_and_gradient(x, grad);
  const auto [value, expected] = recorded(f, x, {.fuse = false});
  BOOST_TEST(same_bits(e.value, value));
  for (std::size_t i = 0; i < 2; ++i) BOOST_TEST(slope::test::close(grad[i], expected[i], {1e-15, 1e-17}));
  // The merged chain's second derivative: d2/dx2 of (s(x))^2 is 2 grad(s) grad(s)^T.
  std::vector<double> h(4);
  BOOST_TEST((fn.hessian(x, h) == ReplayStatus::Ok));
  const double s0 = 0.25 * (0 + 2 + 4), s1 = 0.25 * (1 + 3 + 5) - 18.0;
  BOOST_TEST(slope::test::close(h[0], 2 * s0 * s0, {1e-14, 1e-14}));
  BOOST_TEST(slope::test::close(h[1], 2 * s0 * s1, {1e-14, 1e-14}));
  BOOST_TEST(slope::test::close(h[3], 2 * s1 * s1, {1e-14, 1e-14}));
}

BOOST_AUTO_TEST_CASE(a_constant_function_has_no_instructions) {
  const Function fn = Function::record([](std::span<const Var>) { return Var(1.5); }, std::vector<double>{3.0});
  std::vector<double> grad(1, -1.0);
  BOOST_TEST(fn.value_and_gradient(std::vector<double>{7.0}, grad).value == 1.5);
  BOOST_TEST(grad[0] == 0.0);
  BOOST_TEST(fn.stats().kept == 0U);
}

BOOST_AUTO_TEST_CASE(external_and_custom_operations_are_refused_by_name) {
  const auto message_has = [](std::string_view text) {
    return [text](const slope::TapeError& e) { return std::string_view(e.what()).find(text) != std::string_view::npos; };
  };
  const std::vector<double> x0{1.0, 2.0};
  BOOST_CHECK_EXCEPTION(Function::record(
                            [](std::span<const Var> x) {
                              return slope::external_op(x, std::vector<double>{1.0},
                                                        [](std::span<const double>, std::span<double>) {})[0];
                            },
                            x0),
                        slope::TapeError, message_has("external_op"));
  BOOST_CHECK_EXCEPTION(Function::record(
                            [](std::span<const Var> x) {
                              return slope::custom_op(x, 3.0, std::vector<double>{1.0, 1.0});
                            },
                            x0),
                        slope::TapeError, message_has("custom_op"));
  BOOST_CHECK_EXCEPTION(
      Function::record([](std::span<const Var> x) { return slope::record_unary<function_test::Gelu>(x[0]); }, x0),
      slope::TapeError, message_has("'gelu'"));
  // The thread is left with no active tape after a refused recording.
  BOOST_CHECK_THROW(static_cast<void>(Var(exp(Var(1.0)) + slope::Tape().input(1.0))), slope::TapeError);
  // A replayable step (which names constants on its edges) only on Function::record's tape.
  slope::Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(2.0);
  BOOST_CHECK_EXCEPTION(static_cast<void>(tape.step(slope::op_code<slope::Exp>, "exp", 1.0, {&x, 1})),
                        slope::TapeError, message_has("slope::Function::record"));
  BOOST_TEST(tape.size() == 1U);
}

BOOST_AUTO_TEST_CASE(wrong_sizes_are_shape_errors) {
  const Function fn = Function::record([](std::span<const Var> x) { return x[0] * x[1]; }, std::vector<double>{1.0, 2.0});
  std::vector<double> grad(3);
  BOOST_CHECK_THROW(static_cast<void>(fn.value(std::vector<double>{1.0})), slope::ShapeError);
  BOOST_CHECK_THROW(static_cast<void>(fn.gradient(std::vector<double>{1.0, 2.0}, grad)), slope::ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(function_threads)

BOOST_AUTO_TEST_CASE(one_function_evaluated_by_many_threads_agrees_with_serial) {
  const slope::bench::LogisticRegression kernel;
  const Function fn = Function::record([&kernel](std::span<const Var> x) { return kernel.evaluate(x); }, kernel.x0);
  constexpr int kThreads = 4;
  constexpr int kEvaluations = 25;
  const auto point = [&kernel](int t, int k) {
    std::vector<double> x = kernel.x1;
    for (double& xi : x) xi += 0.001 * t - 0.0005 * k;
    return x;
  };
  std::vector<std::vector<double>> serial(kThreads * kEvaluations, std::vector<double>(kernel.x0.size()));
  for (int t = 0; t < kThreads; ++t) {
    for (int k = 0; k < kEvaluations; ++k) {
      BOOST_REQUIRE((fn.gradient(point(t, k), serial[static_cast<std::size_t>(t * kEvaluations + k)]) == ReplayStatus::Ok));
    }
  }
  std::vector<std::vector<double>> parallel(serial.size(), std::vector<double>(kernel.x0.size()));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Half the threads bring their own workspace, half use the per-thread one.
      Function::Workspace ws = fn.workspace();
      for (int k = 0; k < kEvaluations; ++k) {
        std::vector<double>& out = parallel[static_cast<std::size_t>(t * kEvaluations + k)];
        const ReplayStatus status = t % 2 == 0 ? fn.gradient(point(t, k), out, ws) : fn.gradient(point(t, k), out);
        if (status != ReplayStatus::Ok) out.assign(out.size(), -1.0);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (std::size_t i = 0; i < serial.size(); ++i) {
    BOOST_TEST(parallel[i] == serial[i], boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(the_thread_workspace_follows_the_function_in_use) {
  const Function square = Function::record([](std::span<const Var> x) { return x[0] * x[0]; }, std::vector<double>{1.0});
  const Function cube = Function::record(
      [](std::span<const Var> x) { return x[0] * x[0] * x[0] + x[1] * 0.0; }, std::vector<double>{1.0, 1.0});
  for (int round = 0; round < 3; ++round) {
    BOOST_TEST(square.value(std::vector<double>{3.0}).value == 9.0);
    BOOST_TEST(cube.value(std::vector<double>{2.0, 5.0}).value == 8.0);
  }
}

BOOST_AUTO_TEST_SUITE_END()
