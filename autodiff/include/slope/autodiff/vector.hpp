#pragma once
/// \file
/// Operations on whole vectors, each recorded as one vector node instead of one node per
/// element: sums, dot products, products with passive matrices, elementwise functions.
///
///     std::vector<slope::Var> z(rows), p(rows);
///     slope::matvec(slope::ConstMatrixView(X.data(), rows, cols), w, z);  // z = X w
///     slope::add(z, b, z);                                                 // z_i += b
///     slope::softplus(z, p);
///     slope::Var lp = slope::dot(z, y) - slope::sum(p);
///
/// Results go into caller-provided spans (which may be the inputs themselves), so that a loop
/// that records the same function again allocates nothing once the tape has grown. A node's
/// operands are stored as a first id when they are consecutive nodes (tape inputs, the outputs
/// of another vector node), else as a list; the backward rules are loops that vectorize.
/// Passive vectors are copied onto the tape; passive matrices are referenced (ConstMatrixView).
/// Outputs are never folded into by later scalar operations. Constant Vars are allowed among
/// the operands; with no active operand, the results are constants and nothing is recorded.
/// Size mismatches throw slope::ShapeError.
///
/// Inside slope::Function::record, sums, means, dot products with a passive vector, matvec and
/// vecmat become vector instructions of the Function, which reference a ConstMatrixView's data
/// as the tape does (see function.hpp); the other operations record one scalar operation per
/// element.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "slope/autodiff/op_code.hpp"
#include "slope/autodiff/ops/exp_log.hpp"
#include "slope/autodiff/ops/ml.hpp"
#include "slope/autodiff/ops/power.hpp"
#include "slope/autodiff/recording.hpp"
#include "slope/autodiff/var.hpp"

namespace slope {

/// A read-only view of a passive matrix of doubles: entry (i, j) is
/// data[i * row_stride + j * col_stride]. Row-major by default; column-major (Eigen's default)
/// with column_major(), any layout with one unit stride.
///
/// Vector nodes reference the data instead of copying it onto the tape, so it must stay alive
/// and unchanged until the last sweep of the recording (as with Eigen::Map).
struct ConstMatrixView {
  const double* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t row_stride = 0;  ///< distance between rows; 0 in the constructor means `cols`
  std::size_t col_stride = 1;  ///< distance between columns

  constexpr ConstMatrixView() noexcept = default;
  /// A row-major rows x cols matrix; `row_stride` (default: cols) may be larger, for a block.
  constexpr ConstMatrixView(const double* data_, std::size_t rows_, std::size_t cols_, std::size_t row_stride_ = 0,
                            std::size_t col_stride_ = 1) noexcept
      : data(data_), rows(rows_), cols(cols_), row_stride(row_stride_ == 0 ? cols_ : row_stride_),
        col_stride(col_stride_) {}
  /// A column-major rows x cols matrix; `col_stride` (default: rows) may be larger.
  static constexpr ConstMatrixView column_major(const double* data, std::size_t rows, std::size_t cols,
                                                std::size_t col_stride = 0) noexcept {
    return ConstMatrixView(data, rows, cols, 1, col_stride == 0 ? rows : col_stride);
  }
  /// Entry (i, j).
  [[nodiscard]] constexpr double operator()(std::size_t i, std::size_t j) const noexcept {
    return data[i * row_stride + j * col_stride];
  }
  /// The transpose, viewing the same data.
  [[nodiscard]] constexpr ConstMatrixView transposed() const noexcept {
    return ConstMatrixView(data, cols, rows, col_stride, row_stride);
  }
};

// ---- reductions: one node -------------------------------------------------------------------

/// y = sum_i x_i (0 for an empty range).  Partials: dy/dx_i = 1.
Var sum(std::span<const Var> x);

/// y = (1/n) sum_i x_i (NaN for an empty range).  Partials: dy/dx_i = 1/n.
Var mean(std::span<const Var> x);

/// y = sum_i a_i b_i with b passive (copied onto the tape).  Partials: dy/da_i = b_i.
Var dot(std::span<const Var> a, std::span<const double> b);
/// \overload: y = sum_i a_i b_i with a passive.  Partials: dy/db_i = a_i.
Var dot(std::span<const double> a, std::span<const Var> b);
/// y = sum_i a_i b_i, both active.  Partials: dy/da_i = b_i, dy/db_i = a_i (a repeated Var,
/// as in dot(x, x), gets both: 2 x_i).
Var dot(std::span<const Var> a, std::span<const Var> b);

/// sum_i x_i of passive numbers, added in the order every vector operation uses (four
/// interleaved partial sums, then (s0 + s1) + (s2 + s3)), so that code evaluating a function
/// on doubles gets the bits its recorded and replayed forms get.
double sum(std::span<const double> x) noexcept;
/// sum_i a_i b_i of passive vectors (same length), in the order of sum.
double dot(std::span<const double> a, std::span<const double> b) noexcept;

/// y = sum_i x_i^2.  Partials: dy/dx_i = 2 x_i.
Var squared_norm(std::span<const Var> x);

// log_sum_exp(std::span<const Var>) is in ops/ml.hpp: one node, partials the softmax weights.

// ---- matrix products: one node per output ----------------------------------------------------

/// out = X w for a passive rows x cols matrix X (referenced: see ConstMatrixView), w of length
/// cols, out of length rows.  Partials: d out_i / d w_j = X(i, j).
/// Sweep: adj w += X^T adj out.
void matvec(ConstMatrixView X, std::span<const Var> w, std::span<Var> out);
/// \overload returning a new vector (allocates; prefer the form with `out` in a loop).
[[nodiscard]] std::vector<Var> matvec(ConstMatrixView X, std::span<const Var> w);

/// out = X^T w (out_j = sum_i w_i X(i, j)) for a passive rows x cols X, w of length rows, out of
/// length cols.  Partials: d out_j / d w_i = X(i, j).  Sweep: adj w += X adj out.
void vecmat(std::span<const Var> w, ConstMatrixView X, std::span<Var> out);

/// C = A B for active row-major matrices A (rows x inner) and B (inner x cols), C rows x cols;
/// the values of A and B are stored on the tape.  Partials: d C(i,j) / d A(i,l) = B(l,j),
/// d C(i,j) / d B(l,j) = A(i,l).  Sweep: adj A += adj C B^T, adj B += A^T adj C.
void matmul(std::span<const Var> A, std::span<const Var> B, std::size_t rows, std::size_t inner, std::size_t cols,
            std::span<Var> C);

// ---- elementwise with a broadcast scalar: one node per output --------------------------------
// `out` has x's length and may be x itself.

/// out_i = x_i + s.  Partials: d out_i / d x_i = 1, d out_i / d s = 1.
void add(std::span<const Var> x, const Var& s, std::span<Var> out);
/// out_i = c_i + s, c passive.  Partials: d out_i / d s = 1.
void add(std::span<const double> c, const Var& s, std::span<Var> out);
/// out_i = x_i - s.  Partials: d out_i / d x_i = 1, d out_i / d s = -1.
void subtract(std::span<const Var> x, const Var& s, std::span<Var> out);
/// out_i = c_i - s, c passive.  Partials: d out_i / d s = -1.
void subtract(std::span<const double> c, const Var& s, std::span<Var> out);
/// out_i = x_i s.  Partials: d out_i / d x_i = s, d out_i / d s = x_i.
void multiply(std::span<const Var> x, const Var& s, std::span<Var> out);
/// out_i = c_i s, c passive.  Partials: d out_i / d s = c_i.
void multiply(std::span<const double> c, const Var& s, std::span<Var> out);
/// out_i = x_i c_i, c passive (elementwise).  Partials: d out_i / d x_i = c_i.
void multiply(std::span<const Var> x, std::span<const double> c, std::span<Var> out);
/// out_i = x_i / s.  Partials: d out_i / d x_i = 1/s, d out_i / d s = -out_i / s.
void divide(std::span<const Var> x, const Var& s, std::span<Var> out);
/// out_i = c_i / s, c passive.  Partials: d out_i / d s = -out_i / s.
void divide(std::span<const double> c, const Var& s, std::span<Var> out);

// ---- elementwise functions: one node per output ---------------------------------------------

namespace detail {

/// Fills y[i] = f(x[i]) and d[i] = f'(x[i]) for n elements.
using ElementKernel = void (*)(const double* x, double* y, double* d, std::size_t n);
/// Whether f is defined at x (checked tapes).
using ElementDomain = bool (*)(double x);

/// Records out_i = f(x_i) as one vector node whose partials `kernel` computes (or, when
/// recording for a Function, as one elementwise step of rule `op`, which the replay runs).
void record_elementwise(std::span<const Var> x, std::span<Var> out, OpCode op, std::string_view name,
                        ElementKernel kernel, ElementDomain in_domain, std::string_view domain);

template <UnaryRule Rule>
void element_kernel(const double* x, double* y, double* d, std::size_t n) {
  if constexpr (VectorizedRule<Rule>) {
    values_and_partials<Rule>(x, y, d, n);
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = Rule::value(x[i]);
    d[i] = Rule::partial(x[i], y[i]);
  }
}

template <UnaryRule Rule>
bool element_in_domain(double x) {
  return rule_in_domain<Rule>(x);
}

}  // namespace detail

/// out_i = Rule(x_i) for any unary rule (see recording.hpp), as one vector node; the
/// partials are Rule::partial, stored on the tape. `out` may be x itself.
template <UnaryRule Rule>
void elementwise(std::span<const Var> x, std::span<Var> out) {
  detail::record_elementwise(x, out, op_code<Rule>, Rule::name, &detail::element_kernel<Rule>,
                             &detail::element_in_domain<Rule>, detail::domain_text<Rule>());
}

/// out_i = e^(x_i).  Partials: d out_i / d x_i = out_i.
inline void exp(std::span<const Var> x, std::span<Var> out) { elementwise<Exp>(x, out); }
/// out_i = ln x_i.  Partials: d out_i / d x_i = 1 / x_i.
inline void log(std::span<const Var> x, std::span<Var> out) { elementwise<Log>(x, out); }
/// out_i = ln(1 + x_i).  Partials: d out_i / d x_i = 1 / (1 + x_i).
inline void log1p(std::span<const Var> x, std::span<Var> out) { elementwise<Log1p>(x, out); }
/// out_i = x_i^2.  Partials: d out_i / d x_i = 2 x_i.
inline void square(std::span<const Var> x, std::span<Var> out) { elementwise<Square>(x, out); }
/// out_i = sigmoid(x_i).  Partials: d out_i / d x_i = out_i (1 - out_i).
inline void sigmoid(std::span<const Var> x, std::span<Var> out) { elementwise<Sigmoid>(x, out); }
/// out_i = ln sigmoid(x_i).  Partials: d out_i / d x_i = 1 - sigmoid(x_i).
inline void log_sigmoid(std::span<const Var> x, std::span<Var> out) { elementwise<LogSigmoid>(x, out); }
/// out_i = ln(1 + e^(x_i)).  Partials: d out_i / d x_i = sigmoid(x_i).
inline void softplus(std::span<const Var> x, std::span<Var> out) { elementwise<Softplus>(x, out); }

}  // namespace slope
