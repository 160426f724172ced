// Prints the seeded NNLS problems of nnls_problems.hpp and slope's solutions as one JSON object,
// {"problems": [{"seed": s, "A": [[...], ...], "b": [...], "x": [...], "status": "converged"}, ...]},
// for nnls_scipy.py to compare with scipy.optimize.nnls. Numbers are printed in their shortest
// round-trip form, so Python reads back the exact doubles.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "nnls_problems.hpp"

int main() {
  fmt::print("{{\"problems\": [");
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const std::size_t cols = 5 + 3 * seed;
    const auto p = slope::test::nnls_problem(seed, 2 * cols + 5, cols);
    const slope::Result r = slope::test::solve_nnls(p);
    fmt::print("{}\n{{\"seed\": {}, \"A\": [", seed == 1 ? "" : ",", seed);
    for (std::size_t i = 0; i < p.rows; ++i) {
      fmt::print("{}[{}]", i == 0 ? "" : ", ", fmt::join(std::span(p.a).subspan(i * p.cols, p.cols), ", "));
    }
    fmt::print("], \"b\": [{}], \"x\": [{}], \"status\": \"{}\"}}", fmt::join(p.b, ", "), fmt::join(r.x, ", "),
               slope::to_string(r.status));
  }
  fmt::print("\n]}}\n");
}
