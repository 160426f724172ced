#pragma once
/// \file
/// User-defined operations that take part in sweeps like built-in ones.
///
/// Three ways, from the lightest:
/// 1. A rule struct and record_unary / record_binary (see recording.hpp): value and partial
///    as formulas, with optional domain checking.
/// 2. custom_op: a black box that gives its value and its partials, for any number of inputs.
/// 3. external_op: a black box with several outputs that gives a vector-Jacobian product,
///    run during the sweep (for code whose Jacobian is large or never formed).

#include <span>
#include <vector>

#include "slope/autodiff/tape.hpp"
#include "slope/autodiff/var.hpp"

namespace slope {

/// Records y = g(inputs) for a black-box g whose value and partials dg/dinput_i the caller
/// computed: one node, one edge per active input. Throws TapeError unless
/// partials.size() == inputs.size().
Var custom_op(std::span<const Var> inputs, double value, std::span<const double> partials);

/// Records outputs = g(inputs) for a black-box g. During a sweep, `vjp` receives the
/// outputs' adjoints and must add into input_adjoints[i] the sum over outputs j of
/// output_adjoints[j] * d output_j / d input_i. The callable is stored on the tape until the
/// tape is rewound past it.
std::vector<Var> external_op(std::span<const Var> inputs, std::span<const double> output_values,
                             VectorJacobianProduct vjp);

}  // namespace slope
