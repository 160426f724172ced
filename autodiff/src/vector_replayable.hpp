#pragma once
// The vector operations of vector.hpp that are not linear maps over passive data, in the form a
// slope::Function can replay: while a tape records for Function::record, vector.cpp and
// vector_elementwise.cpp hand each of them to these instead of recording a vector node (whose
// partials are numbers, which a replay could not recompute). Elementwise operations become one scalar operation per element
// (a replay runs them as one run of the same rule); a dot product of two active vectors becomes
// the products and their sum. (Sums, means, dot products with passive vectors, matvec and
// vecmat are replayed as linear maps that reference their data: vector.cpp records them as
// vector steps.) Private to the library: only vector.cpp and vector_elementwise.cpp include it.

#include <cstddef>
#include <span>

#include "slope/autodiff/var.hpp"
#include "slope/autodiff/vector.hpp"

namespace slope::detail::replayable {

/// True when the thread's active tape records for a Function (vector nodes are not replayable).
[[nodiscard]] bool active() noexcept;

/// sum_k c_k x_k, left to right, as one node: partials c_k.
Var linear(std::span<const Var> x, std::span<const double> c);
/// sum_k a_k b_k, both active: one product per element, then their sum.
Var dot(std::span<const Var> a, std::span<const Var> b);
/// sum_k x_k^2: one square per element, then their sum.
Var squared_norm(std::span<const Var> x);
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
