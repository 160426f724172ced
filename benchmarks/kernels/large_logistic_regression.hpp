#pragma once
/// \file
/// The logistic-regression log-likelihood of kernel f at the size of the vector-node issue:
/// 100,000 observations × 50 passive features.

#include <cstddef>
#include <string_view>

#include "kernels/logistic_regression.hpp"

namespace slope::bench {

/// Kernel f's definition and data recipe (see LogisticLikelihood) with 100,000 × 50 data.
struct LargeLogisticRegression : LogisticLikelihood<100'000, 50> {
  static constexpr std::string_view id = "L";
  static constexpr std::string_view name = "logistic_100000x50";
  LargeLogisticRegression() : LogisticLikelihood(id) {}
};

}  // namespace slope::bench
