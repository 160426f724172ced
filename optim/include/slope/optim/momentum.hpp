#pragma once
/// \file
/// Gradient descent with (heavy-ball or Nesterov) momentum.

namespace slope {

/// Momentum: v <- momentum v + g; x <- x - step_size v, or with Nesterov's correction
/// x <- x - step_size (g + momentum v) (the form PyTorch's SGD uses).
struct Momentum {
  double step_size = 1e-2;
  double momentum = 0.9;  ///< in [0, 1)
  bool nesterov = false;
};

/// Throws slope::ArgumentError naming the first parameter out of range.
void validate(const Momentum& method);

}  // namespace slope
