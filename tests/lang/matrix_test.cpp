// Matrices in the language: the product A * B, the transpose A', a vector broadcast over the
// rows of a matrix, slices, reductions along a dimension, softmax and log_softmax per row, and
// integer data as indices (class labels). Each is checked against hand-written C++, and its
// derivatives against central differences live (recorded), replayed, checked and through
// Hessian-vector products; every mistake is an error at its place.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>

#include "lang/support.hpp"
#include "support/finite_difference.hpp"

using slope::lang::Matrix;
using slope::lang::Model;
using slope::lang::test::check_error;
using slope::lang::test::sexpr;
using slope::test::close;

namespace {

constexpr std::size_t kRows = 7;
constexpr std::size_t kCols = 3;

/// Data X [7, 3] and class labels y [7] in 1..3.
struct Data {
  std::vector<double> X, y;
  Data() : X(kRows * kCols), y(kRows) {
    for (std::size_t i = 0; i < X.size(); ++i) X[i] = std::sin(1.3 * static_cast<double>(i) + 0.4);
    for (std::size_t i = 0; i < kRows; ++i) y[i] = static_cast<double>(1 + (i * 2) % kCols);
  }
  [[nodiscard]] Model model(const std::string& source) const {
    Model m = Model::parse(source, "m.slope");
    m.bind_data("X", Matrix::from_row_major(X, kRows, kCols, "X.csv"));
    if (source.find("data y") != std::string::npos) m.bind_data("y", Matrix::from_vector(y, "y.csv"));
    m.check();
    return m;
  }
};

/// A point near the initial one, different for each k.
std::vector<double> point(const Model& model, int k) {
  std::vector<double> theta = model.initial_point();
  for (std::size_t j = 0; j < theta.size(); ++j) theta[j] += 0.3 * std::cos(1.7 * static_cast<double>(j) + k);
  return theta;
}

/// Gradients live, replayed and checked against central differences of the double evaluation;
/// Hessian-vector products of the recorded Function against differences of its gradient.
void check_derivatives(const Model& model) {
  const std::size_t n = model.parameter_count();
  for (int k = 0; k < 3; ++k) {  // the first call records, the later ones replay
    const std::vector<double> theta = point(model, k);
    std::vector<double> grad(n), checked(n);
    const double value = model.value_and_gradient(theta, grad);
    BOOST_TEST(close(value, model.value(theta), {.rtol = 1e-12, .atol = 1e-12}));
    BOOST_TEST(close(model.value_and_gradient(theta, checked, true), value, {.rtol = 1e-12, .atol = 1e-12}));
    const auto fd = slope::test::central_gradient([&](std::span<const double> x) { return model.value(x); }, theta);
    for (std::size_t j = 0; j < n; ++j) {
      BOOST_TEST(close(grad[j], fd[j], {.rtol = 1e-6, .atol = 1e-7}), "k " << k << ", " << j << ": " << grad[j] << " vs " << fd[j]);
      BOOST_TEST(close(checked[j], grad[j], {.rtol = 1e-12, .atol = 1e-12}));
    }
  }
  const std::vector<double> x0 = point(model, 5);
  const slope::Function fn =
      slope::Function::record([&](std::span<const slope::Var> x) { return model.value(x); }, x0);
  std::vector<double> v(n), hv(n), up(n), down(n), shifted(n);
  for (std::size_t j = 0; j < n; ++j) v[j] = std::cos(0.9 * static_cast<double>(j));
  BOOST_TEST((fn.hessian_vector_product(x0, v, hv) == slope::ReplayStatus::Ok));
  const double h = 1e-5;
  for (std::size_t j = 0; j < n; ++j) shifted[j] = x0[j] + h * v[j];
  static_cast<void>(fn.gradient(shifted, up));
  for (std::size_t j = 0; j < n; ++j) shifted[j] = x0[j] - h * v[j];
  static_cast<void>(fn.gradient(shifted, down));
  for (std::size_t j = 0; j < n; ++j) {
    BOOST_TEST(close(hv[j], (up[j] - down[j]) / (2 * h), {.rtol = 1e-5, .atol = 1e-6}), j << ": " << hv[j]);
  }
}

double softmax_regression_by_hand(const Data& data, const std::vector<double>& theta) {
  // W [3, 3] then b [3]: sum_i log_softmax(X_i W + b)[y_i]
  double total = 0;
  for (std::size_t i = 0; i < kRows; ++i) {
    double z[kCols];
    for (std::size_t j = 0; j < kCols; ++j) {
      z[j] = theta[9 + j];
      for (std::size_t l = 0; l < kCols; ++l) z[j] += data.X[i * kCols + l] * theta[l * kCols + j];
    }
    const double m = *std::max_element(z, z + kCols);
    double s = 0;
    for (double zj : z) s += std::exp(zj - m);
    total += z[static_cast<std::size_t>(data.y[i]) - 1] - m - std::log(s);
  }
  return total;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(matrices)

BOOST_AUTO_TEST_CASE(transpose_and_slices_parse_as_postfix_operators) {
  BOOST_TEST(slope::lang::test::expr("A' * B'") == "(* (transpose A) (transpose B))");
  BOOST_TEST(slope::lang::test::expr("x[2:n - 1]") == "(index x (: 2 (- n 1)))");
  BOOST_TEST(slope::lang::test::expr("X[:, j]'") == "(transpose (index X (:) j))");
  BOOST_TEST(slope::lang::test::expr("-A'^2") == "(- (^ (transpose A) 2))");
}

BOOST_AUTO_TEST_CASE(softmax_of_an_empty_vector_is_empty) {
  // Found by the fuzzer: the rows were counted by dividing by the width, 0 here (a matrix of no
  // columns: a division by zero; an empty vector: undefined behaviour the compiler hid).
  const Data data;
  const auto m = data.model("data X[n, d]\ndata y[n]\nparam v[0] = 0\nparam M[2, 0] = 0\nparam b = 1\n"
                            "minimize b * b + sum(softmax(v)) + sum(log_softmax(v) .* v) + sum(softmax(M))");
  BOOST_TEST(m.value(std::vector<double>{3.0}) == 9.0);
  std::vector<double> gradient(1);
  BOOST_TEST(m.value_and_gradient(std::vector<double>{3.0}, gradient) == 9.0);
  BOOST_TEST(gradient[0] == 6.0);
}

BOOST_AUTO_TEST_CASE(passive_lets_computed_from_data_are_not_referenced_by_the_recording) {
  // Found by the fuzzer (ASan): `let r = -y` holds doubles the evaluation computes, which die
  // with it, yet dot(..., r) and products with such a let referenced them as they reference
  // data: every replay read freed memory. Now they are copied, as any computed passive value.
  const Data data;
  const auto with_lets = data.model(
      "data X[n, d]\ndata y[n]\nparam w[d] = 0.5\nlet r = -y\nlet Z = 2 * X\n"
      "minimize dot(Z * w, r) + dot(r, r) * w[1] + sum(Z' * (r .* (Z * w)))");
  const auto written_out = data.model(
      "data X[n, d]\ndata y[n]\nparam w[d] = 0.5\n"
      "minimize dot((2 * X) * w, -y) + dot(-y, -y) * w[1] + sum((2 * X)' * ((-y) .* ((2 * X) * w)))");
  const std::size_t n = with_lets.parameter_count();
  for (int k = 0; k < 3; ++k) {  // the first call records, the later ones replay
    const std::vector<double> theta = point(with_lets, k);
    std::vector<double> g_lets(n), g_out(n);
    BOOST_TEST(with_lets.value_and_gradient(theta, g_lets) == written_out.value_and_gradient(theta, g_out));
    for (std::size_t j = 0; j < n; ++j) BOOST_TEST(g_lets[j] == g_out[j], "d/dw" << j);
  }
  check_derivatives(with_lets);
}

BOOST_AUTO_TEST_CASE(each_operation_computes_what_it_says) {
  const Data data;
  auto value = [&](const std::string& objective, const std::vector<double>& theta) {
    return data.model("data X[n, d]\ndata y[n]\nparam A[2, 3] = 0\nparam v[3] = 0\nminimize " + objective).value(theta);
  };
  const std::vector<double> A{1, 2, 3, 4, 5, 6}, v{0.5, -1, 2};
  std::vector<double> theta = A;
  theta.insert(theta.end(), v.begin(), v.end());
  // A * X' [2, 7]: its (2, 4) entry
  BOOST_TEST(value("(A * X')[2, 4]", theta) == 4 * data.X[9] + 5 * data.X[10] + 6 * data.X[11]);
  BOOST_TEST(value("(X * A')[4, 2]", theta) == 4 * data.X[9] + 5 * data.X[10] + 6 * data.X[11]);
  BOOST_TEST(value("(A + v)[2, 3]", theta) == 6 + 2);           // v repeated on every row
  BOOST_TEST(value("(v - A)[1, 2]", theta) == -1 - 2);
  BOOST_TEST(value("pow(A, v)[2, 1]", theta) == std::pow(4, 0.5));
  BOOST_TEST(value("sum(row_sums(A) .* [1, 10])", theta) == 6 + 150);
  BOOST_TEST(value("sum(col_sums(A) .* [1, 10, 100])", theta) == 5 + 70 + 900);
  BOOST_TEST(value("sum(row_means(A) .* [1, 10])", theta) == 2 + 50);
  BOOST_TEST(value("sum(col_means(A) .* [1, 10, 100])", theta) == 2.5 + 35 + 450);
  BOOST_TEST(close(value("row_log_sum_exp(A)[2]", theta), std::log(std::exp(4) + std::exp(5) + std::exp(6)), {.rtol = 1e-15, .atol = 0}));
  BOOST_TEST(close(value("softmax(A)[2, 3]", theta), std::exp(6) / (std::exp(4) + std::exp(5) + std::exp(6)), {.rtol = 1e-15, .atol = 0}));
  BOOST_TEST(close(value("log_softmax(v)[3]", theta), 2 - std::log(std::exp(0.5) + std::exp(-1) + std::exp(2)), {.rtol = 1e-15, .atol = 0}));
  BOOST_TEST(value("sum(A[:, 2:3])", theta) == 2 + 3 + 5 + 6);
  BOOST_TEST(value("sum(A[2, :])", theta) == 15);
  BOOST_TEST(value("sum(A[1:2, 3])", theta) == 9);
  BOOST_TEST(value("sum(v[2:3])", theta) == 1);
  BOOST_TEST(close(value("sum(X[2:3, :]) - sum(X[2]) - sum(X[3])", theta), 0.0, {.rtol = 0, .atol = 1e-15}));
  BOOST_TEST(value("(A')[3, 1]", theta) == 3);
  BOOST_TEST(value("(v' * v)[1]", theta) == 0.25 + 1 + 4);  // a row [1, 3] times a column
  BOOST_TEST(value("sum(i in 1:n, X[i, y[i]])", theta) ==
             [&] {
               double s = 0;
               for (std::size_t i = 0; i < kRows; ++i) s += data.X[i * kCols + static_cast<std::size_t>(data.y[i]) - 1];
               return s;
             }());
  // An empty vector stays empty against a scalar (found by the fuzzer).
  const Model empty = data.model("data X[n, d]\nparam a = 2\nparam v[0] = 0\nminimize a + sum(abs(v) ./ a) + sum(a - v)");
  std::vector<double> at{2.0}, grad(1);
  BOOST_TEST(empty.value(at) == 2.0);
  BOOST_TEST(empty.value_and_gradient(at, grad) == 2.0);
  BOOST_TEST(grad[0] == 1.0);
  // softmax is stable: large entries give no overflow
  BOOST_TEST(close(value("softmax(1000 * v)[3]", theta), 1.0, {.rtol = 1e-15, .atol = 0}));
  BOOST_TEST(close(value("log_softmax(1000 * v)[1]", theta), -1500.0, {.rtol = 1e-15, .atol = 0}));
}

BOOST_AUTO_TEST_CASE(softmax_regression_matches_the_hand_written_objective) {
  const Data data;
  const Model model = data.model(
      "data X[n, d]\ndata y[n]\nconst k = 3\nparam W[d, k] = 0\nparam b[k] = 0\n"
      "let LP = log_softmax(X * W + b)\nmaximize sum(i in 1:n, LP[i, y[i]])");
  for (int k = 0; k < 3; ++k) {
    const std::vector<double> theta = point(model, k);
    std::vector<double> grad(theta.size());
    BOOST_TEST(close(model.value_and_gradient(theta, grad), softmax_regression_by_hand(data, theta), {.rtol = 1e-12, .atol = 1e-12}));
  }
  check_derivatives(model);
}

BOOST_AUTO_TEST_CASE(every_operation_has_correct_derivatives_live_replayed_and_second_order) {
  const Data data;
  const std::string head =
      "data X[n, d]\ndata y[n]\nparam A[2, 3] = [0.3, -0.2, 0.5, 0.1, -0.4, 0.7]\n"
      "param B[3, 2] = [0.2, 0.1, -0.3, 0.4, 0.6, -0.5]\nparam v[3] = [0.1, 0.2, -0.3]\n";
  const std::vector<std::string> objectives = {
      "sum((A * B) .^ 2)",                                  // active * active
      "sum(tanh(X * B) .^ 2)",                              // data * active: one matvec per column
      "sum((A * X') .^ 2)",                                 // active * data': a copy of X', dot products
      "sum((X' * (X * v)) .^ 2)",                           // data' * active: one vecmat per column
      "sum((X' * tanh(X * B)) .^ 2)",
      "sum(((2 * X) * B) .^ 2)",                            // a computed passive matrix
      "sum((B * A * v) .^ 2) + sum(A' .* B)",
      "sum(exp(A + v)) + sum(log1p((v - A) .^ 2)) + sum(fmax(A, v))",
      "sum(row_sums(A) .^ 2) + sum(col_sums(B .* B)) + sum(row_means(A) .* col_means(B))",
      "sum(row_log_sum_exp(X * B)) + sum(col_means(exp(A)))",
      "sum(softmax(A) .* A) + sum(softmax(v) .* v) - sum(log_softmax(X * B))",
      "sum(A[:, 2:3] .^ 2) + dot(B[:, 1], v) + sum(A[2, :] .* v) + sum(v[1:2]) * sum(B[2:3, :])",
      "sum(i in 1:n, (X * B * A)[i, y[i]])",
      "(v' * v)[1] + sum(v' * B)",
  };
  for (const std::string& objective : objectives) {
    BOOST_TEST_CONTEXT(objective) { check_derivatives(data.model(head + "minimize " + objective)); }
  }
}

BOOST_AUTO_TEST_CASE(every_shape_mistake_is_an_error_at_its_place) {
  const std::string params = "param A[2, 3] = 0\nparam B[2, 3] = 0\nparam v[2] = 0\nparam s = 0\n";
  BOOST_TEST(check_error(params + "minimize sum(A * B)") ==
             "model.slope:5:14: error: '*' cannot combine [2, 3] and [2, 3]: a matrix with 3 columns multiplies a "
             "vector of length 3 or a matrix with 3 rows");
  BOOST_TEST(check_error(params + "minimize sum(v * A)") ==
             "model.slope:5:14: error: '*' cannot combine [2] and [2, 3]; a vector is a column: write A' * v for the "
             "products of v with the columns of A");
  BOOST_TEST(check_error(params + "minimize sum(A + v)") ==
             "model.slope:5:14: error: '+' cannot combine [2, 3] and [2]: the shapes must be equal, or one a scalar, "
             "or a matrix [n, k] and a vector [k]");
  BOOST_TEST(check_error(params + "minimize sum(row_sums(v))") ==
             "model.slope:5:14: error: 'row_sums' needs a matrix, found [2]; sum, mean and log_sum_exp reduce a "
             "vector");
  BOOST_TEST(check_error(params + "minimize sum(softmax(s))") ==
             "model.slope:5:14: error: 'softmax' needs a vector (or a matrix, row by row), found a scalar");
  BOOST_TEST(check_error(params + "minimize sum(A[:, 2:4])") ==
             "model.slope:5:21: error: index 4 is out of range for 'A' [2, 3] (indices run from 1 to 3)");
  BOOST_TEST(check_error(params + "minimize sum(A[:, 3:2])") ==
             "model.slope:5:19: error: the slice 3:2 is empty: its end must be at least its start");
  BOOST_TEST(check_error(params + "minimize sum(i in 1:2, sum(A[1:i, 1]))") ==
             "model.slope:5:32: error: a slice bound must be known before optimization (integer literals, integer "
             "consts and dimensions with + - *), so that the slice has one length");
  BOOST_TEST(check_error(params + "minimize sum(i in 1:2, A[1, v[i]])") ==
             "model.slope:5:29: error: an index must be an integer expression (integer literals, integer consts, "
             "dimensions, loop indices and elements of data, with + - *)");
  BOOST_TEST(check_error(params + "minimize s[:]") == "model.slope:5:10: error: cannot index 's': it is a scalar");
}

BOOST_AUTO_TEST_CASE(a_label_that_is_not_an_integer_or_out_of_range_names_the_data_row_and_value) {
  Data data;
  const std::string source = "data X[n, d]\ndata y[n]\nparam W[d, 3] = 0\n"
                             "minimize sum(i in 1:n, (X * W)[i, y[i]])";
  data.y[4] = 2.5;
  auto message = [&] {
    return slope::lang::test::error_of<slope::lang::EvaluationError>([&] {
      std::vector<double> theta(9), grad(9);
      static_cast<void>(data.model(source).value_and_gradient(theta, grad));
    });
  };
  BOOST_TEST(message() == "m.slope:4:35: error: row 5 of data 'y' (from y.csv) is 2.5, which cannot be an "
                          "index: an index must be an integer");
  data.y[4] = 4;
  BOOST_TEST(message() == "m.slope:4:35: error: index 4 is out of range for the expression [7, 3] (indices "
                          "run from 1 to 3); it is row 5 of data 'y' (from y.csv)");
}

BOOST_AUTO_TEST_SUITE_END()
