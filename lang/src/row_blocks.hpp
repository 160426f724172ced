#pragma once
/// \file
/// (internal) A model's sums over data rows evaluated block by block, on all cores.
///
/// The objective splits at its reductions over rows as for processes (row_plan.hpp): the
/// parts S = sum over rows, then the objective G(theta, S). Here the rows are cut into blocks
/// of a few hundred rows, each block's parts recorded once into a Function of its own (the
/// data are views of the bound rows: nothing is copied). An evaluation replays a block
/// forward and, while the block's rows are still in cache, sweeps it backward: once with the
/// weights dG/dS when G is affine in S (they are known before S is: a log likelihood plus a
/// penalty), else once per part, for the rows of the Jacobian J_b = dS_b/dtheta; the gradient
/// is dG/dtheta + J^T dG/dS. So the data are read once per evaluation, not twice (a product,
/// then its adjoint), and the blocks go to several threads.
///
/// The blocks are summed in groups fixed by the row count alone (each group in block order,
/// the groups in group order), so the bits do not depend on the thread count.

#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <slope/autodiff/function.hpp>

#include "row_plan.hpp"
#include "slope/lang/check.hpp"

namespace slope::lang::detail {

/// The blocks of one model's rows, their recorded parts and the sums of their results.
class RowBlocks {
 public:
  /// Parts above which blocks do not pay for an objective that is not affine in them: each
  /// part costs a backward sweep per block.
  static constexpr std::size_t kMaxParts = 4;

  /// The blocks of the model `program` with `bindings`, split by `plan` (plan_rows) over its
  /// `rows` rows, `rows_per_block` rows each (0: sized so that a block's data take about 128
  /// KiB); null where blocks do not apply: no parts, more than kMaxParts parts in an objective
  /// not affine in them, or fewer than `min_blocks` blocks. Whether blocks apply depends on the
  /// plan alone when `min_blocks` is 1 (so processes that split the rows all decide alike).
  [[nodiscard]] static std::unique_ptr<RowBlocks> make(const Program& program, const std::string& file,
                                                       const Bindings& bindings,
                                                       RowPlan plan, std::size_t rows, std::size_t rows_per_block,
                                                       std::size_t min_blocks);

  /// The split of the objective at its reductions over rows.
  [[nodiscard]] const RowPlan& plan() const noexcept { return plan_; }
  [[nodiscard]] std::size_t blocks() const noexcept { return blocks_.size(); }

  /// The parts summed over all rows at `theta` (plan().reduced_size values) and, for each of
  /// the m rows u of `weights` (m x reduced_size, row-major; m = 0: values only), the row
  /// u^T J of `pulled` (m x theta.size()), on `threads` threads (0: one per core). `checked`:
  /// each block is first recorded on a checked tape, so that an operation out of its domain
  /// is named (one block's tape at a time: the whole data's would cost their size again). An
  /// exception of a block is rethrown, the first in row order.
  void evaluate(std::span<const double> theta, std::span<double> parts, std::span<const double> weights,
                std::span<double> pulled, std::size_t threads, bool checked = false);

  RowBlocks(const RowBlocks&) = delete;
  RowBlocks& operator=(const RowBlocks&) = delete;
  ~RowBlocks();

 private:
  struct Block {
    std::vector<Matrix> views;          ///< the block's rows of each split data slot
    std::optional<CheckedModel> model;  ///< checked against the views
    std::optional<slope::Function> parts;
  };
  /// Blocks [first, last) summed in block order into one buffer.
  struct Group {
    std::size_t first = 0, last = 0;
    std::vector<double> sums;   ///< parts, then the pulled rows
    std::vector<double> block;  ///< one block's results, laid out as sums
    /// Used by each block in turn: blocks of one shape share its buffers (one per block would
    /// cost as much memory as the programs).
    slope::Function::Workspace workspace;
    /// Programs of the shapes its blocks have (one or two: blocks differ by a row at most),
    /// whose arrays the blocks recorded later share (Function::share_memory_with).
    std::vector<slope::Function> shapes;
    std::exception_ptr failure;
  };

  RowBlocks(const Program& program, const std::string& file, RowPlan plan);
  /// Records block's parts at theta, sharing the memory of a program of the same shape.
  void record(Block& block, Group& group, std::span<const double> theta);
  void run_group(Group& group, std::span<const double> theta, std::span<const double> weights, bool checked);
  void run_block(Block& block, Group& group, std::span<const double> theta, std::span<const double> weights,
                 bool checked);

  const Program& program_;
  const std::string& file_;
  RowPlan plan_;
  Bindings bindings_;  // the whole model's; a block's replace the split slots by views
  std::vector<Block> blocks_;
  std::vector<Group> groups_;
};

}  // namespace slope::lang::detail
