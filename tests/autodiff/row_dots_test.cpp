// Dot products of the same Vars with one row at a time (an index sum over rows) compile into
// one matrix-vector product: with rows referenced where they lie evenly spaced, or copied by
// the recording (rows that died since) and gathered. Values, gradients and Hessian-vector
// products stay those of the live tape and of central differences; rows that are not evenly
// spaced and not copied, or dots of other Vars, stay apart.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>

#include <cmath>
#include <functional>
#include <span>
#include <vector>

#include "support/finite_difference.hpp"

using slope::ConstMatrixView;
using slope::Var;
using slope::test::close;

namespace {

constexpr std::size_t kRows = 40;
constexpr std::size_t kCols = 5;

std::vector<double> matrix() {
  std::vector<double> X(kRows * kCols);
  for (std::size_t k = 0; k < X.size(); ++k) X[k] = std::sin(0.61 * static_cast<double>(k) + 0.3);
  return X;
}

/// The three ways a row reaches the recording.
enum class Rows { Referenced, Copied, Permuted };

/// sum_i y_i log s(x_i . w + b) + (1 - y_i) log s(-(x_i . w + b)) + 0.1 (x_i . v)^2, row by row.
struct IndexSum {
  std::vector<double> X = matrix();
  Rows rows = Rows::Referenced;
  Var operator()(std::span<const Var> theta) const {
    const std::span<const Var> w = theta.first(kCols);
    const std::span<const Var> v = theta.subspan(kCols, kCols);
    const Var& b = theta[2 * kCols];
    Var total = 0.0;
    for (std::size_t n = 0; n < kRows; ++n) {
      const std::size_t i = rows == Rows::Permuted ? (n * 7) % kRows : n;  // 7 and 40: a permutation
      Var z, u;
      if (rows == Rows::Copied) {
        const std::vector<double> row(X.begin() + static_cast<std::ptrdiff_t>(i * kCols),
                                      X.begin() + static_cast<std::ptrdiff_t>((i + 1) * kCols));
        z = slope::dot(w, std::span<const double>(row));  // copied: the row dies below
        u = slope::dot(v, std::span<const double>(row));
      } else {
        const ConstMatrixView row(X.data() + i * kCols, 1, kCols);
        slope::matvec(row, w, std::span<Var>(&z, 1));
        slope::matvec(row, v, std::span<Var>(&u, 1));
      }
      const double y = (i % 3 == 0) ? 1.0 : 0.0;
      total += y * slope::log_sigmoid(z + b) + (1 - y) * slope::log_sigmoid(-(z + b)) + 0.1 * u * u;
    }
    return total;
  }
};

std::vector<double> point(double shift) {
  std::vector<double> theta(2 * kCols + 1);
  for (std::size_t j = 0; j < theta.size(); ++j) theta[j] = 0.4 * std::cos(1.7 * static_cast<double>(j) + shift);
  return theta;
}

/// The Function of f against the live tape (value, gradient, H v) and central differences.
void check_against_live(const IndexSum& f, const slope::Function& fn) {
  for (const double shift : {0.0, 1.0, 2.5}) {
    const std::vector<double> theta = point(shift);
    const auto [want, want_grad] = slope::value_and_gradient(f, theta);
    std::vector<double> grad(theta.size());
    const slope::Evaluation e = fn.value_and_gradient(theta, grad);
    BOOST_TEST(e.ok());
    BOOST_TEST(close(e.value, want, {.rtol = 1e-14, .atol = 1e-14}));
    const auto numeric = slope::test::central_gradient(
        [&](std::span<const double> x) { return slope::value_and_gradient(f, std::vector<double>(x.begin(), x.end())).value; },
        theta);
    for (std::size_t j = 0; j < theta.size(); ++j) {
      BOOST_TEST(close(grad[j], want_grad[j], {.rtol = 1e-12, .atol = 1e-12}), "component " << j);
      BOOST_TEST(close(grad[j], numeric[j], {.rtol = 1e-6, .atol = 1e-7}), "component " << j);
    }
    // H v against central differences of the gradient along v.
    std::vector<double> dir(theta.size()), hv(theta.size());
    for (std::size_t j = 0; j < dir.size(); ++j) dir[j] = std::sin(0.9 * static_cast<double>(j) + 0.2);
    BOOST_TEST((fn.hessian_vector_product(theta, dir, hv) == slope::ReplayStatus::Ok));
    const double h = 1e-5;
    std::vector<double> up = theta, down = theta, g_up(theta.size()), g_down(theta.size());
    for (std::size_t j = 0; j < theta.size(); ++j) {
      up[j] += h * dir[j];
      down[j] -= h * dir[j];
    }
    (void)fn.value_and_gradient(up, g_up);
    (void)fn.value_and_gradient(down, g_down);
    for (std::size_t j = 0; j < theta.size(); ++j) {
      BOOST_TEST(close(hv[j], (g_up[j] - g_down[j]) / (2 * h), {.rtol = 1e-6, .atol = 1e-7}), "component " << j);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(row_dots)

BOOST_AUTO_TEST_CASE(evenly_spaced_rows_join_into_one_matrix_vector_product_per_vector) {
  IndexSum f;
  const slope::Function fn = slope::Function::record(f, point(0.0));
  // The schedule puts the dots with w side by side, and those with v: one map each (per
  // scheduling window: 40 rows fit in one).
  BOOST_TEST(fn.stats().vector_operations == 2u);
  check_against_live(f, fn);
}

BOOST_AUTO_TEST_CASE(copied_rows_are_gathered_into_one_block) {
  IndexSum f;
  f.rows = Rows::Copied;
  const slope::Function fn = slope::Function::record(f, point(0.0));
  BOOST_TEST(fn.stats().vector_operations == 2u);
  check_against_live(f, fn);
}

BOOST_AUTO_TEST_CASE(referenced_rows_out_of_order_join_by_evenly_spaced_stretches) {
  // Rows 0, 7, ..., 35, then 2, 9, ..., 37, ...: each stretch of rows 7 apart is one map of its
  // own (stride 7 rows), six or five rows long, seven per vector; a row that breaks the spacing
  // does not keep the others apart.
  IndexSum f;
  f.rows = Rows::Permuted;
  const slope::Function fn = slope::Function::record(f, point(0.0));
  BOOST_TEST(fn.stats().vector_operations == 2u * 7u);
  check_against_live(f, fn);
}

BOOST_AUTO_TEST_SUITE_END()
