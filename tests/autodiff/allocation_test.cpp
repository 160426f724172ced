// After the first evaluation, an optimizer-style loop (rewind, record, sweep, read the
// gradient) allocates nothing: proved by counting every operator new of the process.
#define BOOST_TEST_MODULE slope_autodiff_allocation
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/optim/objective.hpp>

#include <vector>

#include "support/counting_new.hpp"

using slope::test::allocations;

namespace {

/// One evaluation of a logistic-regression-like objective and its gradient.
void evaluate(slope::Tape& tape, const slope::TapePosition& start, const std::vector<slope::Var>& w,
              std::vector<double>& grad) {
  tape.rewind(start);
  slope::Var lp = 0.0;
  for (int i = 0; i < 200; ++i) {
    slope::Var z = 0.1 * i;
    for (std::size_t j = 0; j < w.size(); ++j) z += w[j] * (0.01 * static_cast<double>(i * j % 7) - 0.02);
    lp += log_sigmoid(z) + (i % 2 == 0 ? 0.0 : 1.0) * z;
  }
  tape.backward(lp);
  for (std::size_t j = 0; j < w.size(); ++j) grad[j] = tape.adjoint(w[j]);
}

}  // namespace

BOOST_AUTO_TEST_CASE(re_recording_allocates_nothing_after_the_first_evaluation) {
  slope::Tape tape;
  auto recording = tape.record();
  std::vector<slope::Var> w(20);
  std::vector<double> start_values(20, 0.1);
  tape.inputs(start_values, w);
  const slope::TapePosition start = tape.position();
  std::vector<double> grad(w.size());
  evaluate(tape, start, w, grad);  // first evaluation: the tape grows to size
  const long before = allocations.load();
  for (int round = 0; round < 10; ++round) evaluate(tape, start, w, grad);
  BOOST_TEST(allocations.load() - before == 0);
  BOOST_TEST(grad[0] != 0.0);
}

BOOST_AUTO_TEST_CASE(the_counter_sees_allocations) {
  // Guards the test above against a counter that never counts.
  const long before = allocations.load();
  auto* p = new std::vector<int>(100);
  delete p;
  BOOST_TEST(allocations.load() - before >= 2);
}

BOOST_AUTO_TEST_CASE(a_taped_objective_allocates_nothing_after_its_first_evaluation) {
  // What an optimizer calls once per iteration: taped (record, sweep, read the gradient) for
  // the first evaluations, then replayed; each allocates only the first time.
  const auto f = [](std::span<const slope::Var> x) {
    slope::Var s = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i) s += 100.0 * square(x[i + 1] - x[i] * x[i]) + square(1.0 - x[i]);
    return s;
  };
  using Objective = slope::TapedObjective<const decltype(f)>;
  for (const std::size_t taped_first : {Objective::kTapedFirst, std::size_t{0}}) {
    Objective objective(f, taped_first);
    std::vector<double> x(50, 0.5), g(50);
    objective(x, g);
    const long before = allocations.load();
    for (int round = 0; round < 10; ++round) {
      x[0] += 0.01;
      objective(x, g);
    }
    BOOST_TEST(allocations.load() - before == 0, "taped first: " << taped_first);
    BOOST_TEST(objective.recordings() == (taped_first == 0 ? 1U : 0U));
    BOOST_TEST(g[0] != 0.0);
  }
}

BOOST_AUTO_TEST_CASE(value_and_gradient_into_a_span_allocates_nothing_after_its_first_call) {
  const auto f = [](std::span<const slope::Var> x) {
    slope::Var p = 1.0;
    for (const slope::Var& v : x) p *= v;
    return p;
  };
  std::vector<double> x(20, 1.01), g(20);
  const double first = slope::value_and_gradient(f, x, g);
  const long before = allocations.load();
  double value = 0.0;
  for (int round = 0; round < 10; ++round) {
    x[0] += 0.01;
    value = slope::value_and_gradient(f, x, g);
  }
  BOOST_TEST(allocations.load() - before == 0);
  BOOST_TEST(value > first);
  BOOST_TEST(g[1] == value / x[1], boost::test_tools::tolerance(1e-14));
}
