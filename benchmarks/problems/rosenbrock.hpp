#pragma once
/// \file
/// The (extended) Rosenbrock function, MGH #1 and #21, from the standard start.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "kernels/rosenbrock.hpp"
#include "problems/problem.hpp"

namespace slope::bench {

/// MGH #21, extended Rosenbrock: Σ over pairs of 100 (x[i+1] − x[i]²)² + (1 − x[i])², the
/// function of benchmark kernel g; n = 2 is MGH #1, Rosenbrock's banana. Start
/// x0 = (−1.2, 1, −1.2, 1, …); minimum f* = 0 at (1, …, 1), where the Hessian's smallest
/// eigenvalue is 0.39936 (the pairs are independent, so it does not depend on n).
struct ExtendedRosenbrock {
  std::string name;
  std::vector<double> x0;
  double minimum = 0.0;
  double value_tolerance;

  explicit ExtendedRosenbrock(std::size_t n)
      : name(n == 2 ? "rosenbrock" : "ext_rosenbrock_" + std::to_string(n)),
        x0(n),
        value_tolerance(bench::value_tolerance(0.0, n, 0.39936)) {
    for (std::size_t i = 0; i < n; ++i) x0[i] = i % 2 == 0 ? -1.2 : 1.0;
  }

  template <class T>
  T evaluate(std::span<const T> x) const {
    return kernel_.evaluate(x);
  }

  /// Returns f(x); per pair df/dx[i] = −400·x[i]·t1 − 2·t2 and df/dx[i+1] = 200·t1.
  double gradient(std::span<const double> x, std::span<double> grad) const { return kernel_.gradient(x, grad); }

 private:
  Rosenbrock kernel_;  // only its formulas: they work for any even length
};

}  // namespace slope::bench
