#pragma once
/// \file
/// (internal) How a model's objective splits over processes that each hold a block of the
/// data rows (Model::split_rows, `mpirun -np K slope optimize`).
///
/// Every expression that carries the row dimension (data `X[n, d]`, `X * w`, `log_softmax(Z)`)
/// is computed on each process for its own rows only. Where such an expression is reduced over
/// the rows (`sum`, `mean`, `dot`, a log density, `col_sums`, `X' * r`, an index sum over
/// `1:n`) is a *cut*: each process computes its local part, the parts are summed over the
/// processes, and the rest of the objective is computed from the sums, the same on every
/// process. The plan finds the cuts and refuses models where rows meet in another way (a row
/// read by number, pairs of rows, a reduction over rows inside another one).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "slope/lang/check.hpp"

namespace slope::lang::detail {

/// What the objective's evaluation on one process needs to know about the split.
struct RowPlan {
  std::string dimension;                 ///< the row dimension's name ("n")
  std::uint32_t dimension_slot = 0;      ///< its slot in CheckedModel::consts
  double global_rows = 0;                ///< its value over all processes
  std::vector<bool> split_data;          ///< per data slot: its rows are split
  std::vector<ExprId> cuts;              ///< the reductions over rows, in ExprId order
  std::vector<std::uint32_t> cut_of;     ///< per expression: its index in cuts, or kNotACut
  std::vector<std::size_t> offset;       ///< per cut: where its values start in the summed vector
  std::vector<double> divisor;           ///< per cut: what its sum is divided by (a mean), or 1
  std::vector<bool> square_root;         ///< per cut: its value is the root of its sum (norm)
  std::size_t reduced_size = 0;          ///< the length of the summed vector
  /// The objective is affine in the summed vector for fixed params (a log likelihood plus a
  /// penalty is): its derivative by the sums does not depend on them.
  bool affine = false;

  static constexpr std::uint32_t kNotACut = UINT32_MAX;
};

/// The plan for `model` whose data with first dimension `dimension` are split over processes,
/// `global_rows` rows in all. Throws CheckError, at the expression concerned, for a model
/// whose rows cannot be split.
[[nodiscard]] RowPlan plan_rows(const Program& program, const CheckedModel& model, const std::string& file,
                                std::string_view dimension, std::size_t global_rows);

}  // namespace slope::lang::detail
