#pragma once
/// \file
/// The whole public optimizer API of Slope: minimize / maximize / optimize, the methods
/// (Lbfgs, GradientDescent, Momentum, Adam, AdaGrad, RmsProp), box constraints, minibatch
/// runs, stopping rules, results and the progress printer.

#include "slope/optim/adaptive.hpp"       // IWYU pragma: export
#include "slope/optim/bounds.hpp"         // IWYU pragma: export
#include "slope/optim/gradient_descent.hpp"  // IWYU pragma: export
#include "slope/optim/lbfgs.hpp"          // IWYU pragma: export
#include "slope/optim/minibatch.hpp"      // IWYU pragma: export
#include "slope/optim/momentum.hpp"       // IWYU pragma: export
#include "slope/optim/objective.hpp"      // IWYU pragma: export
#include "slope/optim/optimize.hpp"       // IWYU pragma: export
#include "slope/optim/options.hpp"        // IWYU pragma: export
#include "slope/optim/progress.hpp"       // IWYU pragma: export
#include "slope/optim/result.hpp"         // IWYU pragma: export
