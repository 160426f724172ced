#pragma once
/// \file
/// All the optimizer benchmark problems, in the order they are reported.

#include <tuple>

#include "problems/logistic_nll.hpp"  // IWYU pragma: export
#include "problems/mgh.hpp"           // IWYU pragma: export
#include "problems/problem.hpp"       // IWYU pragma: export
#include "problems/rosenbrock.hpp"    // IWYU pragma: export

namespace slope::bench {

/// Rosenbrock (n = 2), extended Rosenbrock (n = 100 and 1000), Beale, Powell singular, Wood,
/// helical valley and the logistic-regression NLL; `std::apply` visits each in order.
using AllProblems = std::tuple<ExtendedRosenbrock, ExtendedRosenbrock, ExtendedRosenbrock, Beale, PowellSingular, Wood,
                               HelicalValley, LogisticNll>;

/// The problems with their sizes: the extended Rosenbrock problems take n.
[[nodiscard]] inline AllProblems make_problems() {
  return {ExtendedRosenbrock(2),    ExtendedRosenbrock(100),
          ExtendedRosenbrock(1000), Beale{},
          PowellSingular{},         Wood{},
          HelicalValley{},          LogisticNll{}};
}

}  // namespace slope::bench
