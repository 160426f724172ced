#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "../output.hpp"
#include "../session.hpp"
#include "commands.hpp"

namespace slope::cli {
namespace {

/// The comparison of one gradient component.
struct Comparison {
  double tape = 0.0;
  double finite_difference = 0.0;
  double relative_error = 0.0;  ///< |tape - fd| / max(1, |tape|, |fd|)
  bool ok = true;
};

/// Central differences of Model::value with h = cbrt(eps) max(1, |x_i|), the step that balances
/// truncation (h^2) against rounding (eps/h). A component passes when its relative error is
/// within `tolerance` plus the rounding noise of f(x+h) - f(x-h), about eps |f| / h, so that an
/// objective of large magnitude does not fail for its own rounding.
std::vector<Comparison> compare(const lang::Model& model, std::span<const double> theta,
                                std::span<const double> gradient, double value, double tolerance) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const double root = std::cbrt(eps);
  std::vector<double> x(theta.begin(), theta.end());
  std::vector<Comparison> out(theta.size());
  for (std::size_t i = 0; i < theta.size(); ++i) {
    const double h = root * std::max(1.0, std::abs(theta[i]));
    const double above = theta[i] + h;
    const double below = theta[i] - h;
    x[i] = above;
    const double f_above = model.value(x);
    x[i] = below;
    const double f_below = model.value(x);
    x[i] = theta[i];
    Comparison& c = out[i];
    c.tape = gradient[i];
    c.finite_difference = (f_above - f_below) / (above - below);  // the step actually taken
    const double scale = std::max({1.0, std::abs(c.tape), std::abs(c.finite_difference)});
    const double difference = std::abs(c.tape - c.finite_difference);
    c.relative_error = difference / scale;
    const double noise = 100.0 * eps * std::max(1.0, std::abs(value)) / h;
    c.ok = difference <= tolerance * scale + noise;  // false for NaN, as it must be
  }
  return out;
}

}  // namespace

int run_check(const Arguments& arguments, const std::string& source, const Processes& processes) {
  const lang::Model model = load_model(arguments, source, processes);
  const std::vector<double> theta = starting_point(model, arguments);
  std::vector<double> gradient(theta.size());
  const double value = evaluate_checked(model, theta, gradient);
  const std::vector<Comparison> comparisons = compare(model, theta, gradient, value, arguments.tolerance);

  double worst = 0.0;
  bool ok = true;
  for (const Comparison& c : comparisons) {
    worst = std::isnan(c.relative_error) || std::isnan(worst) ? std::nan("") : std::max(worst, c.relative_error);
    ok = ok && c.ok;
  }
  if (arguments.json) {
    std::vector<double> fd;
    std::vector<double> errors;
    for (const Comparison& c : comparisons) {
      fd.push_back(c.finite_difference);
      errors.push_back(c.relative_error);
    }
    nlohmann::ordered_json out;
    out["ok"] = ok;
    out["max_relative_error"] = worst;
    out["tolerance"] = arguments.tolerance;
    out["objective"] = value;
    out["gradient"] = params_json(model, gradient);
    out["finite_difference"] = params_json(model, fd);
    out["relative_error"] = params_json(model, errors);
    fmt::print("{}\n", out.dump());
    return ok ? 0 : 1;
  }

  fmt::print("objective: {}\n", number_text(value));
  fmt::print("{:<12} {:>6} {:>14} {:>14} {:>14}\n", "param", "size", "max |gradient|", "max |error|",
             "max rel error");
  std::vector<std::string> mismatches;
  for (const lang::ParameterInfo& param : model.parameters()) {
    double largest = 0.0;
    double error = 0.0;
    double relative = 0.0;
    bool param_ok = true;
    for (std::size_t i = 0; i < param.shape.size(); ++i) {
      const Comparison& c = comparisons[param.offset + i];
      largest = std::max(largest, std::abs(c.tape));
      error = std::max(error, std::abs(c.tape - c.finite_difference));
      relative = std::max(relative, c.relative_error);
      param_ok = param_ok && c.ok;
      if (!c.ok && mismatches.size() < 20) {
        mismatches.push_back(fmt::format("  {}: tape {}, finite difference {}, relative error {:.2e}",
                                         component_name(param, i), number_text(c.tape),
                                         number_text(c.finite_difference), c.relative_error));
      }
    }
    fmt::print("{:<12} {:>6} {:>14.6g} {:>14.3e} {:>14.3e}  {}\n", param.name, param.shape.size(), largest, error,
               relative, param_ok ? "ok" : "MISMATCH");
  }
  for (const std::string& line : mismatches) fmt::print("{}\n", line);
  fmt::print("max relative error: {:.3e} (tolerance {}): {}\n", worst, arguments.tolerance,
             ok ? "ok" : "MISMATCH");
  return ok ? 0 : 1;
}

}  // namespace slope::cli
