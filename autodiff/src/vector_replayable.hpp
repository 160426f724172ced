#pragma once
// The vector operations of vector.hpp in the form a slope::Function can replay: while a tape
// records for Function::record, vector.cpp hands each operation to these instead of recording
// a vector node (whose partials are numbers, which a replay could not recompute). Sums, means,
// dot products with passive vectors and each output of a product with a passive matrix become
// one linear combination (OpCode::Fused, any number of operands, the coefficients kept), so a
// replay still does one instruction per output; elementwise operations become one scalar
// operation per element. Private to the library: only vector.cpp includes it.

#include <cstddef>
#include <span>

#include "slope/autodiff/var.hpp"
#include "slope/autodiff/vector.hpp"

namespace slope::detail::replayable {

/// True when the thread's active tape records for a Function (vector nodes are not replayable).
[[nodiscard]] bool active() noexcept;

/// sum_k c_k x_k, left to right, as one node: partials c_k.
Var linear(std::span<const Var> x, std::span<const double> c);
/// sum_k scale x_k.
Var scaled_sum(std::span<const Var> x, double scale);
/// sum_k a_k b_k, both active: one product per element, then their sum.
Var dot(std::span<const Var> a, std::span<const Var> b);
/// sum_k x_k^2: one square per element, then their sum.
Var squared_norm(std::span<const Var> x);
/// out = X w (transpose_x false) or X^T w: one linear combination per output.
void matrix_product(ConstMatrixView X, bool transpose_x, std::span<const Var> w, std::span<Var> out);
/// C = A B (rows x inner times inner x cols): per output, inner products and their sum.
void matmul(std::span<const Var> A, std::span<const Var> B, std::size_t rows, std::size_t inner, std::size_t cols,
            std::span<Var> C);
/// The binary operations of the broadcasting forms.
enum class Op { Add, Sub, Mul, Div };
/// out_i = v_i (op) s, where v is x, or `passive` when not null; s is read before out is written.
void broadcast(std::span<const Var> x, const double* passive, std::size_t n, const Var& s, std::span<Var> out, Op op);
/// out_i = x_i c_i.
void multiply(std::span<const Var> x, std::span<const double> c, std::span<Var> out);
/// out_i = f(x_i) with f a unary rule applied to one Var.
void elementwise(std::span<const Var> x, std::span<Var> out, ElementScalar f);

}  // namespace slope::detail::replayable
