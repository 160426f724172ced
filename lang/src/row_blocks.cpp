#include "row_blocks.hpp"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>

#include <slope/autodiff.hpp>

#include "evaluate.hpp"

namespace slope::lang::detail {

namespace {

/// About this many bytes of data per block: a block's rows stay in L2 between its forward
/// replay and its backward sweeps.
constexpr std::size_t kBlockBytes = std::size_t{128} << 10;
/// Groups whose sums are added in order: fixed, so that the bits do not depend on the threads
/// (and enough to keep as many cores busy).
constexpr std::size_t kGroups = 64;

/// The most program shapes a group keeps for its blocks to share (two are expected).
constexpr std::size_t kShapes = 4;

/// The fewest blocks worth a thread of their own.
constexpr std::size_t kBlocksPerThread = 4;

/// Part t of n of [0, count): contiguous, fixed by count and n alone.
std::pair<std::size_t, std::size_t> part(std::size_t count, std::size_t t, std::size_t n) noexcept {
  return {count * t / n, count * (t + 1) / n};
}

}  // namespace

RowBlocks::RowBlocks(const Program& program, const std::string& file, RowPlan plan)
    : program_(program), file_(file), plan_(std::move(plan)) {}

RowBlocks::~RowBlocks() = default;

std::unique_ptr<RowBlocks> RowBlocks::make(const Program& program, const std::string& file, const Bindings& bindings,
                                           RowPlan plan, std::size_t rows,
                                           std::size_t rows_per_block, std::size_t min_blocks) {
  if (plan.reduced_size == 0 || (!plan.affine && plan.reduced_size > kMaxParts)) return nullptr;
  std::size_t row_bytes = 0;
  for (std::size_t slot = 0; slot < plan.split_data.size(); ++slot) {
    if (plan.split_data[slot] && bindings.data[slot] != nullptr) row_bytes += bindings.data[slot]->cols * sizeof(double);
  }
  if (rows_per_block == 0) rows_per_block = std::max<std::size_t>(64, kBlockBytes / std::max<std::size_t>(row_bytes, 1));
  const std::size_t count = std::max<std::size_t>(1, (rows + rows_per_block - 1) / rows_per_block);
  if (count < min_blocks) return nullptr;

  std::unique_ptr<RowBlocks> out(new RowBlocks(program, file, std::move(plan)));
  out->bindings_ = bindings;
  out->blocks_.resize(count);
  // Blocks of equal size within one row, the longer ones first: consecutive blocks then have
  // one shape, so a group's workspace moves between programs of the same layout (sizes that
  // alternated reloaded its partials at every block).
  const std::size_t base = rows / count;
  const std::size_t longer = rows % count;
  for (std::size_t b = 0; b < count; ++b) {
    const std::size_t first = b * base + std::min(b, longer);
    const std::size_t last = first + base + (b < longer ? 1 : 0);
    for (std::size_t slot = 0; slot < out->plan_.split_data.size(); ++slot) {
      if (!out->plan_.split_data[slot]) continue;
      const Matrix& whole = *bindings.data[slot];
      Matrix view = Matrix::view(whole.entries().subspan(first * whole.cols, (last - first) * whole.cols),
                                 last - first, whole.cols, whole.origin);
      view.first_row = whole.first_row + first;
      out->blocks_[b].views.push_back(std::move(view));
    }
  }
  const std::size_t groups = std::min(count, kGroups);
  out->groups_.resize(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    std::tie(out->groups_[g].first, out->groups_[g].last) = part(count, g, groups);
  }
  return out;
}

void RowBlocks::record(Block& block, Group& group, std::span<const double> theta) {
  block.parts = slope::Function::record(
      [&](std::span<const Var> x) { return evaluate_local_parts<Var>(program_, *block.model, file_, plan_, x); },
      theta);
  for (const slope::Function& shape : group.shapes) {
    if (block.parts->share_memory_with(shape)) return;
  }
  if (group.shapes.size() < kShapes) group.shapes.push_back(*block.parts);
}

void RowBlocks::run_block(Block& block, Group& group, std::span<const double> theta, std::span<const double> weights,
                          bool checked) {
  if (!block.model) {  // checked on first use, on the thread that evaluates it
    Bindings bindings = bindings_;
    std::size_t view = 0;
    for (std::size_t slot = 0; slot < plan_.split_data.size(); ++slot) {
      if (plan_.split_data[slot]) bindings.data[slot] = &block.views[view++];
    }
    block.model = check(program_, file_, bindings);
  }
  if (checked) {
    Tape tape;
    auto recording = tape.record({.checked = true});
    (void)evaluate_local_parts<Var>(program_, *block.model, file_, plan_, tape.inputs(theta));
  }
  const std::size_t r = plan_.reduced_size;
  const std::span<double> parts = std::span<double>(group.block).first(r);
  const bool with_jacobian = !weights.empty();
  if (!block.parts) record(block, group, theta);
  const auto replay = [&] {
    return with_jacobian ? block.parts->evaluate_for_vjp(theta, parts, group.workspace)
                         : block.parts->evaluate(theta, parts, group.workspace);
  };
  if (replay() != ReplayStatus::Ok) {  // a comparison in the block flipped: record it again
    record(block, group, theta);
    (void)replay();
  }
  const std::size_t p = theta.size();
  for (std::size_t k = 0; k < weights.size() / r; ++k) {  // one backward sweep per row of weights
    block.parts->vector_jacobian_product(weights.subspan(k * r, r), std::span<double>(group.block).subspan(r + k * p, p),
                                         group.workspace);
  }
}

void RowBlocks::run_group(Group& group, std::span<const double> theta, std::span<const double> weights,
                          bool checked) {
  const std::size_t size = plan_.reduced_size + weights.size() / plan_.reduced_size * theta.size();
  group.sums.assign(size, 0.0);
  group.block.assign(size, 0.0);
  group.failure = nullptr;
  try {
    for (std::size_t b = group.first; b < group.last; ++b) {
      run_block(blocks_[b], group, theta, weights, checked);
      for (std::size_t i = 0; i < size; ++i) group.sums[i] += group.block[i];
    }
  } catch (...) {
    group.failure = std::current_exception();
  }
}

void RowBlocks::evaluate(std::span<const double> theta, std::span<double> parts, std::span<const double> weights,
                         std::span<double> pulled, std::size_t threads, bool checked) {
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  // A thread is started per evaluation (tens of microseconds): worth it from a few blocks each.
  threads = std::clamp<std::size_t>(blocks_.size() / kBlocksPerThread, 1, std::min(threads, groups_.size()));
  std::atomic<std::size_t> next{0};
  const auto work = [&] {  // groups are taken in turn; which thread runs one does not matter
    for (std::size_t g = next++; g < groups_.size(); g = next++) run_group(groups_[g], theta, weights, checked);
  };
  {
    std::vector<std::jthread> workers;
    for (std::size_t t = 1; t < threads; ++t) {
      try {
        workers.emplace_back(work);
      } catch (const std::system_error&) {
        break;  // the system refused another thread: fewer take the groups in turn (same bits)
      }
    }
    work();
  }  // joined
  const std::size_t r = plan_.reduced_size;
  std::fill(parts.begin(), parts.end(), 0.0);
  std::fill(pulled.begin(), pulled.end(), 0.0);
  for (const Group& group : groups_) {
    if (group.failure) std::rethrow_exception(group.failure);
    for (std::size_t i = 0; i < r; ++i) parts[i] += group.sums[i];
    for (std::size_t i = 0; i < pulled.size(); ++i) pulled[i] += group.sums[r + i];
  }
}

}  // namespace slope::lang::detail
