#pragma once
/// \file
/// Every built-in rule's definition (ops/*.hpp), for code that generates tables from
/// BuiltinRules (ops/list.hpp) and so needs the complete rule types.

#include "slope/autodiff/ops/arithmetic.hpp"  // IWYU pragma: export
#include "slope/autodiff/ops/exp_log.hpp"     // IWYU pragma: export
#include "slope/autodiff/ops/list.hpp"        // IWYU pragma: export
#include "slope/autodiff/ops/ml.hpp"          // IWYU pragma: export
#include "slope/autodiff/ops/piecewise.hpp"   // IWYU pragma: export
#include "slope/autodiff/ops/power.hpp"       // IWYU pragma: export
#include "slope/autodiff/ops/special.hpp"     // IWYU pragma: export
#include "slope/autodiff/ops/trig.hpp"        // IWYU pragma: export

namespace slope {

/// Number of operands of rule R: 1, 2 or 3. A rule of another form does not compile.
template <class R>
consteval int arity_of() {
  if constexpr (UnaryRule<R>) {
    return 1;
  } else if constexpr (BinaryRule<R>) {
    return 2;
  } else {
    static_assert(TernaryRule<R>, "a built-in rule must be a UnaryRule, a BinaryRule or a TernaryRule");
    return 3;
  }
}

}  // namespace slope
