#pragma once
/// \file
/// What every benchmark kernel provides (the Kernel concept), and the shared pieces of their
/// definitions: passive values, fixed seeds and random draws.
///
/// The seven kernels a-g are fixed by the benchmark specification (BENCH_KERNELS.md), so that
/// Slope's figures stay comparable with peer figures. Each is one struct in its own header with
/// its data, two input points x0 and x1 (x1 tests evaluation at a new input), `evaluate` written
/// once as a template over the scalar type, and a hand-written analytic gradient.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <vector>

namespace slope::bench {

/// A benchmark kernel: f(x) for any scalar type T (double, slope::Var, a peer's type...), and
/// its value and hand-written gradient at a point.
template <class K>
concept Kernel = requires(const K& k, std::span<const double> x, std::span<double> grad) {
  { K::id } -> std::convertible_to<std::string_view>;    // "a" ... "g"
  { K::name } -> std::convertible_to<std::string_view>;  // "sum", "product", ...
  { k.x0 } -> std::convertible_to<const std::vector<double>&>;
  { k.x1 } -> std::convertible_to<const std::vector<double>&>;
  { k.evaluate(x) } -> std::same_as<double>;
  { k.gradient(x, grad) } -> std::same_as<double>;  // returns f(x), writes df/dx into grad
};

/// The value of a scalar as a plain double, recording nothing: for the passive parts of a
/// kernel such as the max of log_sum_exp. Other scalar types provide `value(x)`, found by
/// argument-dependent lookup (slope::value for slope::Var).
[[nodiscard]] constexpr double passive_value(double x) noexcept { return x; }
/// \overload
template <class T>
[[nodiscard]] constexpr double passive_value(const T& x) noexcept(noexcept(value(x))) {
  return value(x);
}

/// The fixed seed of kernel `id`'s data, so every kernel's data is the same in every run and
/// independent of which other kernels are built.
[[nodiscard]] constexpr std::uint64_t data_seed(std::string_view id) noexcept {
  constexpr std::uint64_t kBase = 0x5107'e000'2024'0601;
  return kBase + static_cast<std::uint64_t>(id.empty() ? 0 : id.front());
}

/// `n` draws of mean + sd * N(0, 1).
inline std::vector<double> normal_draws(std::mt19937_64& rng, std::size_t n, double mean = 0.0, double sd = 1.0) {
  std::normal_distribution<double> normal(mean, sd);
  std::vector<double> out(n);
  for (double& v : out) v = normal(rng);
  return out;
}

/// `n` draws of uniform(low, high).
inline std::vector<double> uniform_draws(std::mt19937_64& rng, std::size_t n, double low, double high) {
  std::uniform_real_distribution<double> uniform(low, high);
  std::vector<double> out(n);
  for (double& v : out) v = uniform(rng);
  return out;
}

}  // namespace slope::bench
