#pragma once
/// \file
/// Eigen interoperability (needs Eigen 3.3 or later; not included by <slope/autodiff.hpp>).
///
/// - Eigen::Matrix<slope::Var, ...> works like a matrix of doubles: Eigen's expressions record
///   scalar operations on the active tape (NumTraits<slope::Var> below), and Var mixes with
///   double matrices (`Eigen::MatrixXd A; VectorXv x; x.dot(A * x)`).
/// - matrix_view() and span() hand Eigen's doubles (matrices, Maps, blocks) and Vars to the
///   vector nodes of <slope/autodiff/vector.hpp> without a copy:
///
///       Eigen::Map<const Eigen::MatrixXd> X(data, rows, cols);   // column-major
///       slope::matvec(slope::matrix_view(X), slope::span(w), slope::span(z));
///
/// Link your target with Eigen3::Eigen (Slope's own library does not need it).

#include <Eigen/Core>

#include <limits>
#include <span>
#include <stdexcept>

#include "slope/autodiff.hpp"

namespace Eigen {

/// slope::Var is a real, signed, non-integer scalar with double's limits. RequireInitialization
/// because a default Var is the constant 0 and Eigen must not skip constructing it. The costs
/// are the recording's, a few times a double's.
template <>
struct NumTraits<slope::Var> : NumTraits<double> {
  using Real = slope::Var;
  using NonInteger = slope::Var;
  using Nested = slope::Var;
  using Literal = slope::Var;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = 1,
    AddCost = 4,
    MulCost = 4,
  };
  static inline Real epsilon() { return NumTraits<double>::epsilon(); }
  static inline Real dummy_precision() { return NumTraits<double>::dummy_precision(); }
  static inline Real highest() { return NumTraits<double>::highest(); }
  static inline Real lowest() { return NumTraits<double>::lowest(); }
  static inline int digits10() { return NumTraits<double>::digits10(); }
};

/// Var op double is a Var (a constant operand records no edge).
template <class BinaryOp>
struct ScalarBinaryOpTraits<slope::Var, double, BinaryOp> {
  using ReturnType = slope::Var;
};
/// double op Var is a Var.
template <class BinaryOp>
struct ScalarBinaryOpTraits<double, slope::Var, BinaryOp> {
  using ReturnType = slope::Var;
};

}  // namespace Eigen

namespace slope {

/// A view of an Eigen matrix of doubles (Matrix, Map, Block, Ref...) for matvec / vecmat,
/// referencing its data (it must outlive the sweeps, see ConstMatrixView). Throws
/// slope::ShapeError when neither rows nor columns are contiguous (an inner stride other
/// than 1).
template <class Derived>
  requires std::same_as<typename Derived::Scalar, double>
ConstMatrixView matrix_view(const Eigen::DenseBase<Derived>& m) {
  const Derived& d = m.derived();
  if (d.innerStride() != 1) throw ShapeError("matrix_view: Eigen matrix with an inner stride other than 1");
  const auto rows = static_cast<std::size_t>(d.rows());
  const auto cols = static_cast<std::size_t>(d.cols());
  const auto outer = static_cast<std::size_t>(d.outerStride());
  if constexpr (static_cast<bool>(Derived::IsRowMajor)) {
    return ConstMatrixView(d.data(), rows, cols, outer, 1);
  } else {
    return ConstMatrixView::column_major(d.data(), rows, cols, outer);
  }
}

namespace detail {
template <class Derived>
void require_contiguous(const Derived& d) {
  if (d.innerStride() != 1 || (d.outerStride() != d.innerSize() && d.outerSize() > 1)) {
    throw ShapeError("slope::span: the Eigen object's coefficients are not contiguous");
  }
}
}  // namespace detail

/// The coefficients of an Eigen vector or matrix with contiguous storage (Matrix, Map, a
/// contiguous Block...), in storage order, as a span and without a copy: Vars for the vector
/// nodes' operands and outputs, doubles for their passive operands. Throws
/// slope::ShapeError when the coefficients are not contiguous.
template <class Derived>
auto span(Eigen::DenseBase<Derived>& m) {
  Derived& d = m.derived();
  detail::require_contiguous(d);
  return std::span(d.data(), static_cast<std::size_t>(d.size()));
}
/// \overload: read-only.
template <class Derived>
auto span(const Eigen::DenseBase<Derived>& m) {
  const Derived& d = m.derived();
  detail::require_contiguous(d);
  return std::span(d.data(), static_cast<std::size_t>(d.size()));
}

}  // namespace slope
