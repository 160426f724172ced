#pragma once
// slope::detail::MatrixProduct: C = A B for two matrices whose entries are all operands (Vars),
// as a compiled Function's vector instruction (program.hpp): matmul, and the dot product of two
// Var vectors or a squared norm as 1 x n times n x 1. Its partials are the operands' values
// (dC_ij/dA_il = B_lj, dC_ij/dB_lj = A_il), read from the value slots where needed, so the
// program stores none; its second derivatives are the constant couplings of A and B.
// The loops are the vector nodes' (vector_node.hpp), so a replay has the live tape's bits.
// Private to the library's sources.

#include <cstddef>
#include <cstdint>

namespace slope::detail {

/// The shape of C = A B: A rows x inner, B inner x cols, C rows x cols, all row-major.
struct MatrixProduct {
  std::uint32_t rows = 0;
  std::uint32_t inner = 0;
  std::uint32_t cols = 0;
  /// A dot product (rows = cols = 1), summed with dot4's four accumulators as the vector
  /// node of a dot product or squared norm sums it (a 1 x n matmul sums in order).
  bool dot = false;

  [[nodiscard]] std::size_t a_size() const noexcept { return std::size_t{rows} * inner; }
  [[nodiscard]] std::size_t b_size() const noexcept { return std::size_t{inner} * cols; }
  /// Operands: A's entries, then B's.
  [[nodiscard]] std::size_t inputs() const noexcept { return a_size() + b_size(); }
  [[nodiscard]] std::size_t outputs() const noexcept { return std::size_t{rows} * cols; }
  friend bool operator==(const MatrixProduct&, const MatrixProduct&) = default;
};

/// c = a b (overwritten).
void multiply(const MatrixProduct& m, const double* a, const double* b, double* c) noexcept;
/// The adjoints of a and b for output adjoints cbar: ga = cbar b^T, gb = a^T cbar (both
/// overwritten). `work` holds m.b_size() doubles.
void multiply_adjoint(const MatrixProduct& m, const double* a, const double* b, const double* cbar, double* work,
                      double* ga, double* gb) noexcept;
/// The tangent of c along (a_dot, b_dot): c_dot = a_dot b + a b_dot (overwritten).
void multiply_tangent(const MatrixProduct& m, const double* a, const double* b, const double* a_dot,
                      const double* b_dot, double* c_dot) noexcept;

}  // namespace slope::detail
