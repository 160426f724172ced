// An optimizer loop on a tape used directly: the README's "Using the tape directly".
//
// Each step takes new x. A Var's value is fixed once recorded, so the inputs are made anew every
// step: the position is taken before them, the tape is rewound there, and tape.inputs(x, xs)
// writes this step's inputs into the same Vars. After the first step nothing is allocated.
// Exits 1 when the taped gradient disagrees with the hand-written one or the loop misses the
// minimum at (3, 0).

#include <slope/autodiff.hpp>

#include <cmath>
#include <cstdio>
#include <span>
#include <vector>

int main() {
  // --- the README's snippet, from here
  slope::Tape tape;
  auto recording = tape.record();                 // this thread's operations now go to `tape`
  const slope::TapePosition start = tape.position();  // before the inputs: they change every step
  std::vector<slope::Var> xs(2);                  // the input Vars, rewritten every step
  auto f = [&](std::span<const double> x, std::span<double> grad) {
    tape.rewind(start);                           // keeps the memory: no allocation
    tape.inputs(x, xs);                           // this step's x as the inputs
    slope::Var y = square(xs[0] - 3.0) + exp(xs[1]) - xs[1];
    tape.backward(y);
    tape.adjoints(xs, grad);
    return y.value();
  };
  std::vector<double> x{1.0, 2.0}, grad(2);
  for (int step = 0; step < 200; ++step) {        // gradient descent
    const double y = f(x, grad);
    // --- to here
    const double by_hand[2] = {2.0 * (x[0] - 3.0), std::exp(x[1]) - 1.0};
    if (std::abs(grad[0] - by_hand[0]) > 1e-12 || std::abs(grad[1] - by_hand[1]) > 1e-12 * std::exp(x[1])) {
      std::printf("step %d: taped gradient (%g, %g) differs from (%g, %g)\n", step, grad[0], grad[1], by_hand[0],
                  by_hand[1]);
      return 1;
    }
    if (step % 50 == 0) std::printf("step %3d: f = %.6f at (%.6f, %.6f)\n", step, y, x[0], x[1]);
    for (int i = 0; i < 2; ++i) x[i] -= 0.1 * grad[i];
  }
  std::printf("minimum near (%.6f, %.6f); tape holds %zu nodes\n", x[0], x[1], tape.size());
  return std::abs(x[0] - 3.0) < 1e-6 && std::abs(x[1]) < 1e-6 ? 0 : 1;
}
