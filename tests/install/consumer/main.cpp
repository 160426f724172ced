#include <slope/autodiff.hpp>

int main() {
  const auto [value, grad] = slope::value_and_gradient([](auto x) { return x[0] * exp(x[1]); }, {2.0, 0.0});
  fmt::print("value {} gradient {} {}\n", value, grad[0], grad[1]);
  return value == 2.0 && grad[0] == 1.0 && grad[1] == 2.0 ? 0 : 1;
}
