#include "slope/optim/progress.hpp"

#include <fmt/format.h>

namespace slope {

IterationCallback progress_printer(std::FILE* out, std::size_t every) {
  const std::size_t period = every == 0 ? 1 : every;
  return [out, period](const IterationInfo& info) {
    if (info.iteration == 1) {
      fmt::print(out, "{:>9}  {:>23}  {:>12}  {:>12}  {:>11}\n", "iteration", "objective", "|gradient|", "step",
                 "evaluations");
    }
    if (info.iteration % period == 0 || info.iteration == 1) {
      fmt::print(out, "{:>9}  {:>23.15g}  {:>12.4e}  {:>12.4e}  {:>11}\n", info.iteration, info.value,
                 info.gradient_norm, info.step_size, info.evaluations);
    }
    return true;
  };
}

}  // namespace slope
