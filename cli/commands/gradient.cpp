#include <fmt/format.h>

#include <vector>

#include "../output.hpp"
#include "../session.hpp"
#include "commands.hpp"

namespace slope::cli {

int run_gradient(const Arguments& arguments, const std::string& source, const Processes& processes) {
  const lang::Model model = load_model(arguments, source, processes);
  const std::vector<double> theta = starting_point(model, arguments);
  std::vector<double> gradient(theta.size());
  // Model::value_and_gradient is the objective as written: for a maximize model, the gradient
  // of what is maximized, never of its negation.
  const double value = evaluate_checked(model, theta, gradient);
  if (arguments.json) {
    nlohmann::ordered_json out;
    out["objective"] = value;
    out["gradient"] = params_json(model, gradient);
    fmt::print("{}\n", out.dump());
  } else {
    fmt::print("objective: {}\nat:\n{}gradient:\n{}", number_text(value), params_text(model, theta),
               params_text(model, gradient));
  }
  return 0;
}

}  // namespace slope::cli
