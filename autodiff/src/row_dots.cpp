// join_row_dots: the dot products of one vector with the rows of a matrix, recorded one row at a
// time, compiled into one matrix-vector product.
//
// An index sum over rows (`sum(i in 1:n, f(dot(X[i], w)))`) records n dot products of the same
// Vars w with a passive row each. Replayed one by one, each gathers w's values again and, in
// the reverse sweep, adds a row's worth into w's adjoints: cols loads and stores per row beyond
// the product itself. As one map y = M w (M the rows, referenced where they lie evenly spaced
// in memory, else gathered into one block), w is gathered once and its adjoint M^T ybar is
// added once, as for the vectorized form `X * w`. Rows that are referenced but not evenly
// spaced throughout (out of order, or one row twice) join by stretches that are.
//
// Values keep their bits (the map computes each row's dot product as the single dot did); the
// adjoint of w sums the same products in another order, as the schedule's reordering may.

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "program.hpp"

namespace slope::detail {

namespace {

/// Whether instruction i is a dot product of Vars with a passive vector (one output).
bool is_row_dot(const Program& p, std::size_t i) noexcept {
  const Instruction& ins = p.code[i];
  if (ins.form != Form::Vector || p.vectors[ins.a].bilinear) return false;
  const LinearMap& map = p.vectors[ins.a].map;
  return map.rows == 1 && !map.transposed && !map.sum && map.cols > 0;
}

/// Whether row dots i and j take the same Vars.
bool same_operands(const Program& p, std::size_t i, std::size_t j) noexcept {
  const VectorInstruction& a = p.vectors[p.code[i].a];
  const VectorInstruction& b = p.vectors[p.code[j].a];
  if (a.map.cols != b.map.cols) return false;
  for (std::uint32_t k = 0; k < a.map.cols; ++k) {
    if (p.nary_operands[a.operands + k] != p.nary_operands[b.operands + k]) return false;
  }
  return true;
}

}  // namespace

void join_row_dots(Program& p, std::vector<std::vector<double>>& copies) {
  std::unordered_map<const double*, std::size_t> copy_of;  // a map's data -> the copy holding it
  for (std::size_t k = 0; k < copies.size(); ++k) {
    if (!copies[k].empty()) copy_of.emplace(copies[k].data(), k);
  }
  std::vector<bool> dropped(copies.size(), false);
  const std::size_t count = p.instructions();
  bool joined = false;
  // Rows [first, last) of a run as one matrix-vector product with `map` (its data and stride set).
  const auto join = [&](std::size_t first, std::size_t last, LinearMap map) {
    map.rows = static_cast<std::uint32_t>(last - first);
    const auto vector = static_cast<std::uint32_t>(p.vectors.size());
    VectorInstruction matvec;
    matvec.map = map;
    matvec.first = static_cast<std::uint32_t>(first);
    matvec.operands = p.vectors[p.code[first].a].operands;
    p.vectors.push_back(matvec);
    for (std::size_t k = first; k < last; ++k) {
      Instruction& ins = p.code[k];
      ins.op = OpCode::MatVec;
      ins.a = vector;
      ins.b = static_cast<std::uint32_t>(k - first);
    }
    joined = true;
  };
  for (std::size_t i = 0; i < count;) {
    if (!is_row_dot(p, i)) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (end < count && is_row_dot(p, end) && p.code[end].op == p.code[i].op && same_operands(p, i, end)) ++end;
    if (end - i < 2) {
      i = end;
      continue;
    }
    const std::uint32_t cols = p.vectors[p.code[i].a].map.cols;
    const auto data = [&](std::size_t k) { return p.vectors[p.code[k].a].map.data; };
    // The end of the evenly spaced stretch from `first` (at least first + 1), and its step.
    const auto stretch = [&](std::size_t first) {
      std::size_t last = first + 1;
      const std::ptrdiff_t step = last < end ? data(last) - data(first) : 0;
      if (step >= static_cast<std::ptrdiff_t>(cols)) {
        while (last < end && data(last) - data(last - 1) == step) ++last;
      }
      return std::pair(last, step);
    };
    // Evenly spaced rows (a matrix's, referenced) are viewed where they are; rows the
    // recording copied are gathered into one block, and their copies dropped.
    const auto [whole, step] = stretch(i);
    bool copied = whole < end;
    for (std::size_t k = i; copied && k < end; ++k) copied = copy_of.contains(data(k)) && !dropped[copy_of.at(data(k))];
    LinearMap map = p.vectors[p.code[i].a].map;
    if (copied) {
      std::vector<double> block((end - i) * cols);
      for (std::size_t k = i; k < end; ++k) {
        const std::size_t copy = copy_of.at(data(k));
        std::copy_n(copies[copy].data(), cols, block.begin() + static_cast<std::ptrdiff_t>((k - i) * cols));
        dropped[copy] = true;  // each row dot had a copy of its own
      }
      copies.push_back(std::move(block));
      map.data = copies.back().data();  // a moved vector keeps its buffer
      map.stride = cols;
      join(i, end, map);
      i = end;
      continue;
    }
    // Each evenly spaced stretch of two rows or more on its own: one row repeated (a dot product
    // that common subexpressions did not catch) must not keep a hundred rows from their product.
    for (std::size_t first = i; first < end;) {
      const auto [last, spacing] = first == i ? std::pair(whole, step) : stretch(first);
      if (last - first >= 2) {
        map.data = data(first);
        map.stride = static_cast<std::size_t>(spacing);
        join(first, last, map);
      }
      first = last;
    }
    i = end;
  }
  if (!joined) return;
  // Keep the vector instructions still used, in order, and the copies still read.
  std::vector<VectorInstruction> kept;
  std::vector<std::uint32_t> renumbered(p.vectors.size(), 0);
  for (std::size_t i = 0; i < count; ++i) {
    Instruction& ins = p.code[i];
    if (ins.form != Form::Vector) continue;
    if (ins.b == 0) {
      renumbered[ins.a] = static_cast<std::uint32_t>(kept.size());
      kept.push_back(p.vectors[ins.a]);
    }
    ins.a = renumbered[ins.a];
  }
  p.vectors = std::move(kept);
  for (std::size_t k = 0; k < dropped.size(); ++k) {
    if (dropped[k]) std::vector<double>().swap(copies[k]);  // its memory goes; later copies keep their place
  }
}

}  // namespace slope::detail
