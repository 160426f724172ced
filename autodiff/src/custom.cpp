#include "slope/autodiff/custom.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "slope/autodiff/errors.hpp"
#include "slope/autodiff/recording.hpp"

namespace slope {

Var custom_op(std::span<const Var> inputs, double value, std::span<const double> partials) {
  if (partials.size() != inputs.size()) {
    throw TapeError(fmt::format("custom_op: {} inputs but {} partials", inputs.size(), partials.size()));
  }
  if (detail::checked_tape() != nullptr) {
    std::vector<double> args(inputs.size());
    std::transform(inputs.begin(), inputs.end(), args.begin(), [](const Var& x) { return x.value(); });
    detail::check_operation("custom", args, true, "", value, partials);
  }
  const bool any_active = std::any_of(inputs.begin(), inputs.end(), [](const Var& x) { return !x.is_constant(); });
  if (!any_active) return Var(value);
  return detail::require_active_tape().nary(inputs, value, partials, OpCode::Custom);
}

std::vector<Var> external_op(std::span<const Var> inputs, std::span<const double> output_values,
                             VectorJacobianProduct vjp) {
  if (!vjp) throw TapeError("external_op: the vector-Jacobian product is empty");
  return detail::require_active_tape().external(inputs, output_values, std::move(vjp));
}

}  // namespace slope
