// The loops of slope::values_and_partials: every VectorizedRule (recording.hpp) over arrays.
//
// This file is compiled with -fno-trapping-math (autodiff/CMakeLists.txt): without it GCC keeps
// the rules' `x >= 0 ? a : b` as branches (computing both sides might raise a floating-point
// flag nobody reads), and a loop with branches does not vectorize. The flag changes no value:
// no operation is reordered, contracted or approximated, so a vectorized element has the bits
// of the same rule called once. The loops are also compiled for AVX2 (avx2_clones.hpp), which
// doubles the lanes.
#include <cstddef>

#include "avx2_clones.hpp"
#include "slope/autodiff/ops/all.hpp"


namespace slope::detail {

namespace {

template <class R>
[[gnu::always_inline]] inline bool run_if(OpCode op, const double* __restrict x, double* __restrict y,
                                          double* __restrict d, std::size_t n) noexcept {
  if constexpr (VectorizedRule<R>) {
    if (op != op_code<R>) return false;
    for (std::size_t i = 0; i < n; ++i) {
      const ValueAndPartial both = R::value_and_partial(x[i]);
      y[i] = both.value;
      d[i] = both.partial;
    }
    return true;
  } else {
    return false;
  }
}

template <class... Rules>
[[gnu::always_inline]] inline void run_rule(RuleList<Rules...>, OpCode op, const double* x, double* y, double* d,
                                            std::size_t n) noexcept {
  // values_and_partials<R> passes only a VectorizedRule's code, so exactly one loop runs.
  (run_if<Rules>(op, x, y, d, n) || ...);
}

}  // namespace

SLOPE_AVX2_CLONES
void vectorized_values_and_partials(OpCode op, const double* x, double* y, double* d, std::size_t n) noexcept {
  run_rule(BuiltinRules{}, op, x, y, d, n);
}

}  // namespace slope::detail
