// Eigen interoperability (eigen.hpp): matrices of Vars record through Eigen's expressions, and
// Eigen's doubles feed the vector nodes without copies, in either storage order.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff/eigen.hpp>

#include <cmath>
#include <vector>

#include "support/finite_difference.hpp"

using slope::Tape;
using slope::Var;
using slope::test::close;
using slope::test::Tolerance;
using VectorXv = Eigen::Matrix<Var, Eigen::Dynamic, 1>;
using MatrixXv = Eigen::Matrix<Var, Eigen::Dynamic, Eigen::Dynamic>;
using RowMajorXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

namespace {

constexpr Tolerance kTight{1e-12, 1e-13};

Eigen::MatrixXd test_matrix(Eigen::Index rows, Eigen::Index cols) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = std::sin(1.0 + 0.7 * static_cast<double>(i) + 1.3 * static_cast<double>(j));
  }
  return m;
}

VectorXv inputs(Tape& tape, const Eigen::VectorXd& values) {
  VectorXv x(values.size());
  tape.inputs(std::span<const double>(values.data(), static_cast<std::size_t>(values.size())), slope::span(x));
  return x;
}

Eigen::VectorXd adjoints(const Tape& tape, const VectorXv& x) {
  Eigen::VectorXd g(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) g(i) = tape.adjoint(x(i));
  return g;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(eigen)

BOOST_AUTO_TEST_CASE(a_quadratic_form_through_eigen_expressions) {
  // f = x^T A x + |x|^2 + sum(x): gradient (A + A^T) x + 2x + 1.
  const Eigen::MatrixXd A = test_matrix(4, 4);
  const Eigen::VectorXd x0 = Eigen::VectorXd::LinSpaced(4, -0.5, 1.0);
  Tape tape;
  auto recording = tape.record();
  const VectorXv x = inputs(tape, x0);
  const VectorXv Ax = A.cast<Var>() * x;
  const Var f = x.dot(Ax) + x.squaredNorm() + x.sum();
  tape.backward(f);
  const Eigen::VectorXd want = (A + A.transpose()) * x0 + 2.0 * x0 + Eigen::VectorXd::Ones(4);
  const Eigen::VectorXd got = adjoints(tape, x);
  BOOST_TEST(close(f.value(), x0.dot(A * x0) + x0.squaredNorm() + x0.sum(), kTight));
  for (Eigen::Index i = 0; i < 4; ++i) BOOST_TEST(close(got(i), want(i), kTight));
}

BOOST_AUTO_TEST_CASE(var_mixes_with_double_matrices) {
  const Eigen::MatrixXd A = test_matrix(3, 3);
  Tape tape;
  auto recording = tape.record();
  const VectorXv x = inputs(tape, Eigen::Vector3d(0.2, -0.4, 0.9));
  const VectorXv y = x * 2.0;           // Var * double
  const Var s = (A.row(0).cast<Var>() * y)(0) + y.norm();  // norm: sqrt through ADL
  tape.backward(s);
  const Eigen::Vector3d xv(0.2, -0.4, 0.9);
  const Eigen::Vector3d want = 2.0 * A.row(0).transpose() + 2.0 * (2.0 * xv) / (2.0 * xv).norm();
  for (Eigen::Index i = 0; i < 3; ++i) BOOST_TEST(close(tape.adjoint(x(i)), want(i), kTight));
}

BOOST_AUTO_TEST_CASE(a_product_of_var_matrices) {
  // f = sum(M * M): d f / d M(k, l) = sum_j M(l, j) + sum_i M(i, k).
  const Eigen::MatrixXd m0 = test_matrix(3, 3);
  Tape tape;
  auto recording = tape.record();
  MatrixXv M(3, 3);
  tape.inputs(std::span<const double>(m0.data(), 9), slope::span(M));
  const Var f = (M * M).sum();
  tape.backward(f);
  for (Eigen::Index k = 0; k < 3; ++k) {
    for (Eigen::Index l = 0; l < 3; ++l) {
      BOOST_TEST(close(tape.adjoint(M(k, l)), m0.row(l).sum() + m0.col(k).sum(), kTight));
    }
  }
}

BOOST_AUTO_TEST_CASE(eigen_doubles_feed_matvec_in_either_storage_order_without_copies) {
  const Eigen::MatrixXd X = test_matrix(7, 3);  // column-major
  const RowMajorXd Xr = X;
  const Eigen::VectorXd w0(Eigen::Vector3d(0.5, -1.0, 0.25));
  const Eigen::VectorXd weights = Eigen::VectorXd::LinSpaced(7, 0.1, 0.7);
  for (const bool row_major : {false, true}) {
    BOOST_TEST_CONTEXT((row_major ? "row-major" : "column-major")) {
      Tape tape;
      auto recording = tape.record();
      const VectorXv w = inputs(tape, w0);
      VectorXv z(7);
      const slope::ConstMatrixView view = row_major ? slope::matrix_view(Xr) : slope::matrix_view(X);
      BOOST_TEST(view.data == (row_major ? Xr.data() : X.data()));  // referenced, not copied
      slope::matvec(view, slope::span(w), slope::span(z));
      const Var f = slope::dot(slope::span(z), slope::span(weights));
      tape.backward(f);
      const Eigen::VectorXd want = X.transpose() * weights;
      for (Eigen::Index j = 0; j < 3; ++j) BOOST_TEST(close(tape.adjoint(w(j)), want(j), kTight));
      BOOST_TEST(close(f.value(), weights.dot(X * w0), kTight));
    }
  }
}

BOOST_AUTO_TEST_CASE(maps_and_blocks_are_viewed_with_their_strides) {
  std::vector<double> storage(5 * 6);
  for (std::size_t k = 0; k < storage.size(); ++k) storage[k] = std::cos(0.3 * static_cast<double>(k));
  const Eigen::Map<const Eigen::MatrixXd> X(storage.data(), 5, 6);
  const auto block = X.block(1, 2, 3, 4);  // outer stride 5
  const slope::ConstMatrixView view = slope::matrix_view(block);
  BOOST_TEST(view.data == block.data());
  BOOST_TEST(view.col_stride == 5U);
  Tape tape;
  auto recording = tape.record();
  const VectorXv w = inputs(tape, Eigen::Vector4d(1.0, 2.0, -1.0, 0.5));
  std::vector<Var> z(3);
  slope::matvec(view, slope::span(w), z);
  const Eigen::VectorXd want = block * Eigen::Vector4d(1.0, 2.0, -1.0, 0.5);
  for (Eigen::Index i = 0; i < 3; ++i) BOOST_TEST(close(z[static_cast<std::size_t>(i)].value(), want(i), kTight));
  // A row of a column-major matrix is not contiguous: span refuses it.
  BOOST_CHECK_THROW(slope::span(X.row(0)), slope::ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
