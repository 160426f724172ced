#pragma once
/// \file
/// (internal) The operations on whole vectors, and the only place where they are recorded.
///
/// Whole-vector operations on Vars are the tape's vector nodes (slope/autodiff/vector.hpp): a
/// dot product or a sum is one node, and `X * w` with data X [n, d] is one matrix-vector node
/// that references X instead of copying it (X is model data, alive until the sweep), with a
/// backward loop the compiler vectorizes.

#include <cmath>
#include <span>
#include <type_traits>
#include <vector>

#include <slope/autodiff.hpp>

#include "value.hpp"

namespace slope::lang::detail {

/// sum_i p_i x_i with passive p, in the order of the Var forms (slope::dot), so that a model
/// evaluated on doubles gives the bits of its recorded and replayed gradient runs.
inline double dot_passive(std::span<const double> p, std::span<const double> x) { return slope::dot(p, x); }
/// \overload: one node, partials p (copied onto the tape: p may be a temporary).
inline Var dot_passive(std::span<const double> p, std::span<const Var> x) { return slope::dot(x, p); }

/// sum_i a_i b_i with both sides active.
inline double dot_active(std::span<const double> a, std::span<const double> b) { return dot_passive(a, b); }
/// \overload: one node.
inline Var dot_active(std::span<const Var> a, std::span<const Var> b) { return slope::dot(a, b); }

/// \overload: data (a view of model data, alive as long as the model) referenced, not copied: a
/// one-row matrix product, which a replay shares when the same row meets the same vector twice.
inline Var dot_data(std::span<const double> data, std::span<const Var> x) {
  Var out;
  slope::matvec(ConstMatrixView(data.data(), 1, data.size()), x, std::span<Var>(&out, 1));
  return out;
}

/// Dot product of two values of the same size, taking the cheapest path for passive sides.
template <class T>
T dot(const Value<T>& a, const Value<T>& b) {
  if (a.is_passive() && b.is_passive()) return T(dot_passive(a.doubles(), b.doubles()));
  if constexpr (std::is_same_v<T, Var>) {
    if (a.is_passive() && a.is_view()) return dot_data(a.doubles(), b.items());
    if (b.is_passive() && b.is_view()) return dot_data(b.doubles(), a.items());
  }
  if (a.is_passive()) return dot_passive(a.doubles(), b.items());
  if (b.is_passive()) return dot_passive(b.doubles(), a.items());
  return dot_active(a.items(), b.items());
}

/// Sum of all elements.
template <class T>
T sum(const Value<T>& x) {
  if (x.is_passive()) return T(slope::sum(x.doubles()));
  return slope::sum(x.items());  // doubles: the order of the Var form
}

/// Matrix [rows, cols] times vector [cols]: one dot product per row.
template <class T>
Value<T> matrix_vector(const Value<T>& m, const Value<T>& x) {
  const std::size_t rows = m.shape().rows;
  const std::size_t cols = m.shape().cols;
  const Shape shape{1, rows, 1};
  if (m.is_passive() && x.is_passive()) {
    std::vector<double> out(rows);
    for (std::size_t r = 0; r < rows; ++r) out[r] = dot_passive(m.doubles().subspan(r * cols, cols), x.doubles());
    return Value<T>::passive_owned(shape, std::move(out));
  }
  std::vector<T> out(rows);
  if constexpr (std::is_same_v<T, Var>) {
    // Data (a view) outlives the sweep, so the node may reference it; a computed matrix is a
    // temporary and goes through the row-by-row dot products, which copy their operands.
    if (m.is_passive() && m.is_view()) {
      slope::matvec(ConstMatrixView(m.doubles().data(), rows, cols), x.items(), out);
      return Value<T>::owned(shape, std::move(out));
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (m.is_passive()) {
      out[r] = dot_passive(m.doubles().subspan(r * cols, cols), x.items());
    } else if (x.is_passive()) {
      out[r] = dot_passive(x.doubles(), m.items().subspan(r * cols, cols));
    } else {
      out[r] = dot_active(m.items().subspan(r * cols, cols), x.items());
    }
  }
  return Value<T>::owned(shape, std::move(out));
}

/// log(sum_i exp(x_i)) of all elements, as one node for Vars.
template <class T>
T log_sum_exp(const Value<T>& x) {
  if (x.is_passive()) return T(slope::log_sum_exp(x.doubles()));
  return slope::log_sum_exp(x.items());
}

}  // namespace slope::lang::detail
