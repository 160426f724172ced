#include "slope/optim/minibatch.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <utility>

#include "box.hpp"
#include "run.hpp"
#include "slope/autodiff/errors.hpp"
#include "steppers.hpp"

namespace slope::detail {

namespace {

/// Fisher-Yates with the generator's raw output: unlike std::shuffle and the standard
/// distributions, the sequence is the same with every standard library.
void shuffle(std::vector<std::size_t>& rows, std::mt19937_64& rng) {
  for (std::size_t i = rows.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(rows[i - 1], rows[j]);
  }
}

template <class Stepper, class Method>
Result run_epochs(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                  const Method& method, const Minibatch& batches, const StopOptions& options) {
  validate(method);
  if (batches.batch_size == 0) throw slope::ArgumentError("Minibatch: batch_size must be > 0");
  if (rows == 0) throw slope::ArgumentError("minibatch run: there are no rows");
  std::vector<std::size_t> order(rows);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::vector<std::size_t> all_rows = order;
  auto full = [&](std::span<const double> x, std::span<double> g) { return f(x, g, all_rows); };
  const std::size_t n = x0.size();
  const Box box(bounds, n);
  std::vector<double> x(x0.begin(), x0.end()), g(n), previous_x(n), batch_g(n);
  if (box.bounded()) box.project(x);  // a start outside the box begins at its projection
  Run run(ObjectiveRef(full), sense, options, x, &box);

  const double sign = sense == Sense::Minimize ? 1.0 : -1.0;
  double f_full = run.evaluate(x, g);
  if (auto stop = run.start(x, f_full, g)) return run.finish(*stop, x, f_full, g);
  Stepper stepper(method, n);
  std::mt19937_64 rng(batches.seed);
  while (true) {
    std::copy(x.begin(), x.end(), previous_x.begin());
    shuffle(order, rng);
    for (std::size_t begin = 0; begin < rows; begin += batches.batch_size) {
      const std::size_t count = std::min(batches.batch_size, rows - begin);
      f(x, batch_g, std::span<const std::size_t>(order).subspan(begin, count));
      // The batch's mean gradient, oriented for minimization: step sizes then do not depend
      // on the batch size.
      const double scale = sign / static_cast<double>(count);
      for (double& gi : batch_g) gi *= scale;
      stepper.apply(x, batch_g);
      if (box.bounded()) box.project(x);
    }
    const double previous_f = f_full;
    f_full = run.evaluate(x, g);
    if (auto stop = run.after_iteration(previous_x, previous_f, x, f_full, g)) return run.finish(*stop, x, f_full, g);
  }
}

}  // namespace

Result optimize_minibatch(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const GradientDescent& m, const Minibatch& b, const StopOptions& o) {
  return run_epochs<FixedStepper>(f, rows, x0, sense, bounds, m, b, o);
}
Result optimize_minibatch(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const Momentum& m, const Minibatch& b, const StopOptions& o) {
  return run_epochs<MomentumStepper>(f, rows, x0, sense, bounds, m, b, o);
}
Result optimize_minibatch(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const Adam& m, const Minibatch& b, const StopOptions& o) {
  return run_epochs<AdamStepper>(f, rows, x0, sense, bounds, m, b, o);
}
Result optimize_minibatch(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const AdaGrad& m, const Minibatch& b, const StopOptions& o) {
  return run_epochs<AdaGradStepper>(f, rows, x0, sense, bounds, m, b, o);
}
Result optimize_minibatch(RowSumRef f, std::size_t rows, std::span<const double> x0, Sense sense, const Bounds& bounds,
                          const RmsProp& m, const Minibatch& b, const StopOptions& o) {
  return run_epochs<RmsPropStepper>(f, rows, x0, sense, bounds, m, b, o);
}

}  // namespace slope::detail
