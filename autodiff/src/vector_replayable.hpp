#pragma once
// The elementwise vector operations of vector.hpp in the form a slope::Function replays: while
// a tape records for Function::record, vector_elementwise.cpp hands each of them to these
// instead of recording a vector node (whose partials are numbers, which a replay could not
// recompute): one scalar operation per element. The compiled program runs the elements of one
// operation as one run of the same rule, dispatched once (vectorized for the rules that allow
// it, VectorizedRule), which is the program's elementwise instruction. (Sums, means, dot
// products, matvec, vecmat, matmul and squared norms are vector steps of the recording and
// vector instructions of the program: vector.cpp.) Private to the library: only
// vector_elementwise.cpp includes it.

#include <cstddef>
#include <span>

#include "slope/autodiff/var.hpp"
#include "slope/autodiff/vector.hpp"

namespace slope::detail::replayable {

/// True when the thread's active tape records for a Function (vector nodes are not replayable).
[[nodiscard]] bool active() noexcept;

/// The binary operations of the broadcasting forms.
enum class Op { Add, Sub, Mul, Div };
/// out_i = v_i (op) s, where v is x, or `passive` when not null; s is read before out is written.
void broadcast(std::span<const Var> x, const double* passive, std::size_t n, const Var& s, std::span<Var> out, Op op);
/// out_i = x_i c_i.
void multiply(std::span<const Var> x, std::span<const double> c, std::span<Var> out);
/// out_i = f(x_i) with f a unary rule applied to one Var.
void elementwise(std::span<const Var> x, std::span<Var> out, ElementScalar f);

}  // namespace slope::detail::replayable
