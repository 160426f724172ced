#pragma once
/// \file
/// All seven benchmark kernels, a-g, in order.

#include <tuple>

#include "kernels/kernel.hpp"               // IWYU pragma: export
#include "kernels/log_sum_exp.hpp"          // IWYU pragma: export
#include "kernels/logistic_regression.hpp"  // IWYU pragma: export
#include "kernels/matrix_product.hpp"       // IWYU pragma: export
#include "kernels/normal_log_density.hpp"   // IWYU pragma: export
#include "kernels/product.hpp"              // IWYU pragma: export
#include "kernels/rosenbrock.hpp"           // IWYU pragma: export
#include "kernels/sum.hpp"                  // IWYU pragma: export

namespace slope::bench {

/// The kernels a-g; `std::apply` over a tuple of them visits each in order.
using AllKernels =
    std::tuple<Sum, Product, LogSumExp, MatrixProduct, NormalLogDensity, LogisticRegression, Rosenbrock>;

}  // namespace slope::bench
