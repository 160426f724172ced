#pragma once
/// \file
/// Vector nodes: the descriptors a tape keeps for operations on whole vectors (vector.hpp).
///
/// A vector node's outputs are ordinary nodes without edges, contiguous on the tape; the
/// descriptor says how their adjoints flow back to the operands. The sweep splits the node
/// range at each descriptor, as it does for external operations, and applies it with one small
/// switch per descriptor and loops over its elements that the compiler vectorizes. Operands
/// whose ids are contiguous (tape inputs, outputs of another vector node) are stored as a first
/// id only, so their adjoints are a dense array; other operands get an id list.
/// Private to the library: only tape.cpp and the vector operations (vector_recorder.hpp) include it.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "linear_map.hpp"

namespace slope::detail {

/// A growable array that keeps its memory when shrunk and leaves new elements uninitialized
/// (std::vector::resize would zero them, a cost per recorded element).
template <class T>
class Buffer {
 public:
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] T* data() noexcept { return data_.get(); }
  [[nodiscard]] const T* data() const noexcept { return data_.get(); }
  /// Appends `count` uninitialized elements and returns their offset. Earlier offsets stay
  /// valid, pointers into the buffer do not.
  std::size_t extend(std::size_t count) {
    if (size_ + count > capacity_) [[unlikely]] grow(size_ + count);
    const std::size_t offset = size_;
    size_ += count;
    return offset;
  }
  void truncate(std::size_t size) noexcept {
    if (size < size_) size_ = size;
  }

 private:
  void grow(std::size_t needed) {
    std::size_t capacity = capacity_ < 1024 ? 1024 : capacity_;
    while (capacity < needed) capacity *= 2;
    auto bigger = std::make_unique_for_overwrite<T[]>(capacity);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), sizeof(T) * size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<T[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// A read-only matrix of doubles with any strides: entry (i, k) is data[i * row_stride + k * col_stride].
struct StridedMatrix {
  const double* data = nullptr;
  std::size_t row_stride = 0;
  std::size_t col_stride = 0;
};

/// C = X Y, or C += X Y when `add` is set, for X rows x depth (any strides), Y depth x cols with
/// row i at y + i * y_stride (unit column stride) and C rows x cols with row i at c + i * c_stride.
/// C must not overlap X or Y. Each entry is summed over k in order, as a plain loop would.
void multiply_matrices(std::size_t rows, std::size_t depth, std::size_t cols, StridedMatrix x, const double* y,
                       std::size_t y_stride, double* c, std::size_t c_stride, bool add) noexcept;

/// How a vector node's output adjoints flow back (see the cases of VectorNodes::sweep).
enum class VectorKind : std::uint8_t {
  Reduce,       ///< one output y with partials dx_j, dy_j on operands x, y: adj x_j += dx_j adj y
  Elementwise,  ///< y_i = f(x_i, s): adj x_i += dx_i adj y_i, adj s += sum_i ds_i adj y_i
  MatVec,       ///< y = M w, or y = M^T w, with M passive and referenced (a LinearMap)
  MatMul,       ///< C = A B, A and B active (their values stored)
};

/// The operands of a vector node: `count` ids, either first, first + 1, ... (dense) or the
/// list ids[first ... first + count) of VectorNodes::ids (may hold Var::kConstant entries
/// when `constants` is set; their adjoint contributions are dropped).
struct Operands {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  bool listed = false;
  bool constants = false;
};

/// Where a node's per-element partials come from: values[offset + i] (stored on the tape),
/// data[i] (referenced caller data), or, with neither, the constant `scale`.
struct Partials {
  double scale = 1.0;
  std::uint32_t offset = 0;
  const double* data = nullptr;
  bool stored = false;
  /// All finite: then a zero output adjoint needs no special case (0 * finite adds nothing),
  /// and the sweep runs a plain loop, which vectorizes, instead of a masked one.
  bool finite = false;
};

/// One vector node.
struct VectorNode {
  VectorKind kind = VectorKind::Reduce;
  bool transposed = false;       // MatVec: y = M^T w instead of M w
  std::uint32_t output = 0;      // first output node
  std::uint32_t outputs = 0;     // number of output nodes
  std::uint32_t scalar = 0;      // Elementwise: the broadcast scalar's node (kNone: none)
  Operands x;                    // the vector operand; MatMul: A
  Operands y;                    // Reduce: a second vector operand (dot of two active vectors); MatMul: B
  Partials dx;                   // Reduce, Elementwise: d output / d x
  Partials dy;                   // Reduce: d output / d y
  Partials ds;                   // Elementwise: d y_i / d scalar
  std::uint32_t operand_values = 0;  // MatMul: A's then B's values, at values[operand_values]
  LinearMap map;                  // MatVec: y = map applied to x
  std::uint32_t rows = 0;          // MatMul: A is rows x inner, B inner x cols
  std::uint32_t cols = 0;
  std::uint32_t inner = 0;
  std::uint32_t ids_size = 0;     // VectorNodes::ids and ::values sizes before this node,
  std::uint32_t values_size = 0;  // so that a rewind can drop what it appended
};

/// A tape's vector nodes, in recording order (so their outputs increase), with the operand id
/// lists and partials they store.
class VectorNodes {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffU;  // equals Var's constant id

  [[nodiscard]] std::size_t size() const noexcept { return nodes_.size(); }
  [[nodiscard]] const VectorNode& operator[](std::size_t i) const noexcept { return nodes_[i]; }

  /// Appends a node; `node.ids_size`/`values_size` must be the sizes before it appended storage.
  void push(const VectorNode& node) { nodes_.push_back(node); }
  /// Drops the nodes whose outputs start at or after `nodes` (a tape rewind), and their storage.
  void rewind(std::uint32_t nodes) noexcept;
  /// Whether every partial of `p` (n of them) is finite.
  [[nodiscard]] bool finite(const Partials& p, std::size_t n) const noexcept;
  /// Adds node i's contributions to the adjoints of its operands.
  void sweep(std::size_t i, double* adjoint);
  /// Bytes recorded (descriptors, id lists, stored partials), and bytes reserved.
  [[nodiscard]] std::size_t bytes() const noexcept;
  [[nodiscard]] std::size_t capacity_bytes() const noexcept;

  Buffer<std::uint32_t> ids;
  Buffer<double> values;
  /// Work space of recording and sweeping (values gathered from Vars, MatMul adjoints).
  std::vector<double> scratch;

 private:
  void sweep_reduce(const VectorNode& node, double* adjoint) const noexcept;
  void sweep_elementwise(const VectorNode& node, double* adjoint) const noexcept;
  void sweep_matvec(const VectorNode& node, double* adjoint);
  void sweep_matmul(const VectorNode& node, double* adjoint);

  std::vector<VectorNode> nodes_;
};

}  // namespace slope::detail
