#pragma once
/// \file
/// The whole public autodiff API of Slope: Var, Tape, every differentiable operation,
/// gradient / value_and_gradient / jacobian, and user-defined operations.
///
///     #include <slope/autodiff.hpp>
///     auto [value, grad] = slope::value_and_gradient(
///         [](auto x) { return x[0] * x[0] + sin(x[1]); }, {3.0, 0.5});

#include "slope/autodiff/custom.hpp"         // IWYU pragma: export
#include "slope/autodiff/errors.hpp"         // IWYU pragma: export
#include "slope/autodiff/format.hpp"         // IWYU pragma: export
#include "slope/autodiff/gradient.hpp"       // IWYU pragma: export
#include "slope/autodiff/op_code.hpp"        // IWYU pragma: export
#include "slope/autodiff/ops/arithmetic.hpp" // IWYU pragma: export
#include "slope/autodiff/ops/exp_log.hpp"    // IWYU pragma: export
#include "slope/autodiff/ops/ml.hpp"         // IWYU pragma: export
#include "slope/autodiff/ops/piecewise.hpp"  // IWYU pragma: export
#include "slope/autodiff/ops/power.hpp"      // IWYU pragma: export
#include "slope/autodiff/ops/special.hpp"    // IWYU pragma: export
#include "slope/autodiff/ops/trig.hpp"       // IWYU pragma: export
#include "slope/autodiff/recording.hpp"      // IWYU pragma: export
#include "slope/autodiff/tape.hpp"           // IWYU pragma: export
#include "slope/autodiff/var.hpp"            // IWYU pragma: export
#include "slope/autodiff/vector.hpp"         // IWYU pragma: export
