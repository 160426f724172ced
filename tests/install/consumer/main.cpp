#include <slope/autodiff.hpp>
#include <slope/optim.hpp>

int main() {
  const auto [value, grad] = slope::value_and_gradient([](auto x) { return x[0] * exp(x[1]); }, {2.0, 0.0});
  fmt::print("value {} gradient {} {}\n", value, grad[0], grad[1]);
  const auto bowl = [](std::span<const slope::Var> x) { return square(x[0] - 3.0) + square(x[1] + 1.0); };
  const slope::Result r = slope::minimize(bowl, {0.0, 0.0});
  fmt::print("minimum at ({}, {}): {}\n", r.x[0], r.x[1], slope::to_string(r.status));
  const bool ok = value == 2.0 && grad[0] == 1.0 && grad[1] == 2.0 && r.converged() &&
                  std::fabs(r.x[0] - 3.0) < 1e-6 && std::fabs(r.x[1] + 1.0) < 1e-6;
  return ok ? 0 : 1;
}
