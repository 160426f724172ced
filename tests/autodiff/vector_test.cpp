// Vector nodes (vector.hpp): every rule against central finite differences and against the same
// function recorded with scalar operations, at sizes 0, 1 and several more, mixed with scalar
// operations, with consecutive and scattered operands, and in checked mode;
// and the same functions recorded into a slope::Function at another point and replayed
// (value, gradient, and Hessian-vector products against differences of the replayed gradient).
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>

#include <cmath>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/check_derivative.hpp"
#include "support/finite_difference.hpp"
#include "vector_points.hpp"

namespace bdata = boost::unit_test::data;
using slope::ConstMatrixView;
using slope::Tape;
using slope::Var;
using slope::test::close;
using slope::test::tape_gradient;
using slope::test::Tolerance;

namespace {

using slope::test::kSameRule;
using slope::test::point;

const std::vector<std::size_t> kSizes{0, 1, 2, 5, 8, 37};

/// Weights for turning a vector of outputs into one scalar with scalar operations, so that
/// every output's adjoint differs.
double weight(std::size_t i) { return 0.25 + 0.125 * static_cast<double>(i % 7); }

/// f recorded into a slope::Function at another point (the operations' replayable form) and
/// replayed at x: the value and gradient of the vector nodes (to summation order), and H v
/// for a fixed v against central differences of the replayed gradient along v.
template <class VectorF>
void check_replay(VectorF f_vector, const std::vector<double>& x, double value, const std::vector<double>& grad) {
  std::vector<double> x0 = x;
  for (std::size_t i = 0; i < x0.size(); ++i) x0[i] += 0.125 * static_cast<double>(1 + i % 3);
  const slope::Function fn = slope::Function::record([&](std::span<const Var> v) { return f_vector(v); }, x0);
  std::vector<double> replayed(x.size());
  const slope::Evaluation e = fn.value_and_gradient(x, replayed);
  BOOST_TEST(e.ok());
  BOOST_TEST(close(e.value, value, kSameRule), "replayed value " << e.value << " vs " << value);
  for (std::size_t i = 0; i < x.size(); ++i) {
    BOOST_TEST(close(replayed[i], grad[i], kSameRule), "d/dx" << i << ": replayed " << replayed[i] << " vs " << grad[i]);
  }
  std::vector<double> v(x.size()), hv(x.size()), up(x.size()), down(x.size()), moved(x.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = 1.0 - 0.3 * static_cast<double>(i % 4);
  BOOST_TEST((fn.hessian_vector_product(x, v, hv) == slope::ReplayStatus::Ok));
  const double h = 1e-5;
  for (std::size_t i = 0; i < x.size(); ++i) moved[i] = x[i] + h * v[i];
  static_cast<void>(fn.gradient(moved, up));
  for (std::size_t i = 0; i < x.size(); ++i) moved[i] = x[i] - h * v[i];
  static_cast<void>(fn.gradient(moved, down));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double fd = (up[i] - down[i]) / (2.0 * h);
    BOOST_TEST(close(hv[i], fd, Tolerance{1e-5, 1e-6}), "(H v)_" << i << ": " << hv[i] << " vs differences " << fd);
  }
}

/// f_vector (vector nodes, Var only) against f_scalar (a template over double and Var): same
/// value, same gradient as the scalar recording, gradient matches central differences, the
/// same again on a checked tape and on an unfused one, and replayed by a slope::Function.
template <class VectorF, class ScalarF>
void check_against_oracles(VectorF f_vector, ScalarF f_scalar, const std::vector<double>& x) {
  const double plain = f_scalar(std::span<const double>(x));
  const auto [value, grad] = tape_gradient(f_vector, x, {});
  const auto [scalar_value, scalar_grad] = tape_gradient(f_scalar, x, {});
  const auto [checked_value, checked_grad] = tape_gradient(f_vector, x, {.checked = true});
  const auto [unfused_value, unfused_grad] = tape_gradient(f_vector, x, {.fuse = false});
  const std::vector<double> fd =
      slope::test::central_gradient([&](std::span<const double> p) { return f_scalar(p); }, x);
  BOOST_TEST_CONTEXT("n = " << x.size()) {
    BOOST_TEST(close(value, plain, kSameRule), "value " << value << " vs double " << plain);
    BOOST_TEST(close(checked_value, value, kSameRule));  // folding reorders scalar rounding only
    BOOST_TEST(close(unfused_value, value, kSameRule));
    BOOST_TEST(close(scalar_value, plain, kSameRule));
    for (std::size_t i = 0; i < x.size(); ++i) {
      BOOST_TEST(close(grad[i], scalar_grad[i], kSameRule), "d/dx" << i << ": vector " << grad[i] << " vs scalar " << scalar_grad[i]);
      BOOST_TEST(close(grad[i], fd[i], Tolerance{}), "d/dx" << i << ": vector " << grad[i] << " vs finite difference " << fd[i]);
      BOOST_TEST(close(checked_grad[i], grad[i], kSameRule));
      BOOST_TEST(close(unfused_grad[i], grad[i], kSameRule));
    }
    check_replay(f_vector, x, value, grad);
  }
}

/// Σ_i weight(i) · v_i², recorded with scalar operations.
template <class T>
T weighted_squares(std::span<const T> v) {
  T f = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) f += weight(i) * v[i] * v[i];
  return f;
}

/// The elements of x in reverse order and with a constant between them: operands that are
/// neither consecutive nor all active (the id-list path).
std::vector<Var> scattered(std::span<const Var> x) {
  std::vector<Var> out;
  for (std::size_t i = x.size(); i-- > 0;) {
    out.push_back(x[i]);
    if (i % 3 == 1) out.push_back(Var(0.5));
  }
  return out;
}
template <class T>
std::vector<T> scattered_scalar(std::span<const T> x) {
  std::vector<T> out;
  for (std::size_t i = x.size(); i-- > 0;) {
    out.push_back(x[i]);
    if (i % 3 == 1) out.push_back(T(0.5));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(vector_nodes)

BOOST_DATA_TEST_CASE(sum_mean_and_squared_norm_match_the_scalar_recording, bdata::make(kSizes), n) {
  check_against_oracles([](std::span<const Var> x) { return slope::sum(x); },
                        [](auto x) {
                          std::remove_cvref_t<decltype(x[0])> s = 0.0;
                          for (const auto& v : x) s += v;
                          return s;
                        }, point(n));
  if (n > 0) {
    check_against_oracles([](std::span<const Var> x) { return slope::mean(x) * x[0]; },
                          [](auto x) {
                            std::remove_cvref_t<decltype(x[0])> s = 0.0;
                            for (const auto& v : x) s += v;
                            return s / static_cast<double>(x.size()) * x[0];
                          },
                          point(n));
  }
  check_against_oracles([](std::span<const Var> x) { return slope::squared_norm(x); },
                        [](auto x) {
                          std::remove_cvref_t<decltype(x[0])> s = 0.0;
                          for (const auto& v : x) s += v * v;
                          return s;
                        }, point(n));
  check_against_oracles(
      [](std::span<const Var> x) { return slope::squared_norm(scattered(x)) + slope::sum(scattered(x)); },
      [](auto x) {
        std::remove_cvref_t<decltype(x[0])> s = 0.0;
        for (const auto& v : scattered_scalar(x)) s += v * v + v;
        return s;
      },
      point(n));
}

BOOST_DATA_TEST_CASE(dot_products_match_the_scalar_recording, bdata::make(kSizes), n) {
  const std::vector<double> c = point(n, 2.0);
  check_against_oracles([&](std::span<const Var> x) { return slope::dot(x, c); },
                        [&](auto x) {
                          std::remove_cvref_t<decltype(x[0])> s = 0.0;
                          for (std::size_t i = 0; i < n; ++i) s += x[i] * c[i];
                          return s;
                        },
                        point(n));
  check_against_oracles([&](std::span<const Var> x) { return slope::dot(std::span<const double>(c), x); },
                        [&](auto x) {
                          std::remove_cvref_t<decltype(x[0])> s = 0.0;
                          for (std::size_t i = 0; i < n; ++i) s += c[i] * x[i];
                          return s;
                        },
                        point(n));
  // Two active vectors: the first and second halves of x, the same vector twice, scattered.
  check_against_oracles(
      [](std::span<const Var> x) {
        const std::size_t h = x.size() / 2;
        return slope::dot(x.first(h), x.subspan(h, h)) + slope::dot(x, x) + slope::dot(scattered(x), scattered(x));
      },
      [](auto x) {
        const std::size_t h = x.size() / 2;
        std::remove_cvref_t<decltype(x[0])> s = 0.0;
        for (std::size_t i = 0; i < h; ++i) s += x[i] * x[h + i];
        for (const auto& v : x) s += v * v;
        for (const auto& v : scattered_scalar(x)) s += v * v;
        return s;
      },
      point(n));
}

BOOST_DATA_TEST_CASE(matvec_and_vecmat_match_the_scalar_recording, bdata::make(kSizes), rows) {
  for (const std::size_t cols : {std::size_t{0}, std::size_t{1}, std::size_t{6}}) {
    // Row-major data with two spare columns, so that a block view (stride cols + 2) is tested too.
    const std::size_t stride = cols + 2;
    const std::vector<double> data = point(rows * stride, 1.0);
    const auto X = [&](std::size_t i, std::size_t j) { return data[i * stride + j]; };
    const ConstMatrixView row_major(data.data(), rows, cols, stride);
    // The same matrix's transpose viewed column-major: X^T(j, i) = data[i * stride + j].
    const ConstMatrixView transposed_column_major = ConstMatrixView::column_major(data.data(), cols, rows, stride);
    BOOST_TEST_CONTEXT("rows " << rows << ", cols " << cols) {
      const auto scalar_matvec = [&](auto w) {
        using T = std::remove_cvref_t<decltype(w[0])>;
        std::vector<T> y(rows);
        for (std::size_t i = 0; i < rows; ++i) {
          T s = 0.0;
          for (std::size_t j = 0; j < cols; ++j) s += X(i, j) * w[j];
          y[i] = s;
        }
        return weighted_squares(std::span<const T>(y));
      };
      check_against_oracles(
          [&](std::span<const Var> w) {
            std::vector<Var> y(rows);
            slope::matvec(row_major, w, y);
            return weighted_squares(std::span<const Var>(y));
          },
          scalar_matvec, point(cols));
      check_against_oracles(
          [&](std::span<const Var> w) {  // X w = (X^T)^T w, through the column-major view
            std::vector<Var> y(rows);
            slope::vecmat(w, transposed_column_major, y);
            return weighted_squares(std::span<const Var>(y));
          },
          scalar_matvec, point(cols));
      const auto scalar_vecmat = [&](auto w) {
        using T = std::remove_cvref_t<decltype(w[0])>;
        std::vector<T> y(cols);
        for (std::size_t j = 0; j < cols; ++j) {
          T s = 0.0;
          for (std::size_t i = 0; i < rows; ++i) s += w[i] * X(i, j);
          y[j] = s;
        }
        return weighted_squares(std::span<const T>(y));
      };
      check_against_oracles(
          [&](std::span<const Var> w) {
            std::vector<Var> y(cols);
            slope::vecmat(w, row_major, y);
            return weighted_squares(std::span<const Var>(y));
          },
          scalar_vecmat, point(rows));
      check_against_oracles(
          [&](std::span<const Var> w) {
            std::vector<Var> y(cols);
            slope::matvec(transposed_column_major, w, y);
            return weighted_squares(std::span<const Var>(y));
          },
          scalar_vecmat, point(rows));
    }
  }
}

BOOST_AUTO_TEST_CASE(matvec_with_scattered_operands_and_a_returned_vector) {
  const std::vector<double> data = point(4 * 7, 3.0);
  const ConstMatrixView X(data.data(), 4, 7);  // 7 columns: the scattered form of 5 inputs
  check_against_oracles(
      [&](std::span<const Var> w) {
        const std::vector<Var> y = slope::matvec(X, scattered(w));
        return weighted_squares(std::span<const Var>(y));
      },
      [&](auto w) {
        using T = std::remove_cvref_t<decltype(w[0])>;
        const auto ws = scattered_scalar(w);
        std::vector<T> y(4);
        for (std::size_t i = 0; i < 4; ++i) {
          T s = 0.0;
          for (std::size_t j = 0; j < 7; ++j) s += X(i, j) * ws[j];
          y[i] = s;
        }
        return weighted_squares(std::span<const T>(y));
      },
      point(5));
}

// Sizes cover the product's register blocks (4 rows by 8 and 4 columns) and every remainder.
BOOST_DATA_TEST_CASE(matmul_matches_the_scalar_recording, bdata::make({0, 1, 2, 3, 5, 7, 9, 13}), m) {
  const std::size_t rows = m;
  const std::size_t inner = m + 1;
  const std::size_t cols = m == 0 ? 2 : m - 1;
  const auto scalar = [&](auto x) {
    using T = std::remove_cvref_t<decltype(x[0])>;
    std::vector<T> c(rows * cols);
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < cols; ++j) {
        T s = 0.0;
        for (std::size_t l = 0; l < inner; ++l) s += x[i * inner + l] * x[rows * inner + l * cols + j];
        c[i * cols + j] = s;
      }
    }
    return weighted_squares(std::span<const T>(c));
  };
  check_against_oracles(
      [&](std::span<const Var> x) {
        std::vector<Var> c(rows * cols);
        slope::matmul(x.first(rows * inner), x.subspan(rows * inner), rows, inner, cols, c);
        return weighted_squares(std::span<const Var>(c));
      },
      scalar, point(rows * inner + inner * cols));
}

BOOST_AUTO_TEST_CASE(elementwise_operations_over_vectors_holding_constants_replay) {
  // A Function records each elementwise operation as one step whose outputs take their operands
  // element by element: Vars, constants among them, a constant scalar, passive numbers.
  const auto f = [](std::span<const Var> x) {
    std::vector<Var> v(x.begin(), x.end());
    v[1] = Var(0.5);
    const std::vector<double> w{0.5, -1.25, 2.0, 0.75, -0.5};
    std::vector<Var> a(v.size()), b(v.size()), c(v.size()), d(v.size());
    slope::softplus(v, a);
    slope::add(a, Var(1.5), b);
    slope::multiply(b, w, c);
    slope::divide(std::span<const double>(w), x[0], d);
    slope::subtract(d, x[3], d);
    return slope::sum(c) + slope::dot(d, std::span<const double>(w));
  };
  const std::vector<double> x = point(5);
  const auto [value, grad] = slope::value_and_gradient(f, x);
  check_replay(f, x, value, grad);
}

BOOST_AUTO_TEST_CASE(products_of_vars_replay_as_one_vector_instruction_each) {
  // matmul, a dot product of two Var vectors and a squared norm: one instruction each in the
  // compiled Function (whose partials are the operands' values), with the live tape's bits.
  // The product overwrites its own left operand, and one operand of the dot is a constant.
  constexpr std::size_t rows = 3, inner = 4, cols = 2;
  const auto f = [&](std::span<const Var> x) {
    std::vector<Var> a(x.begin(), x.begin() + rows * inner);
    const std::span<const Var> b = x.subspan(rows * inner, inner * cols);
    slope::matmul(a, b, rows, inner, cols, std::span<Var>(a).first(rows * cols));
    std::vector<Var> u(x.begin(), x.begin() + 5), v(x.end() - 5, x.end());
    v[2] = Var(0.75);
    return slope::dot(std::span<const Var>(a).first(rows * cols), std::span<const Var>(a).last(rows * cols)) +
           slope::dot(u, v) + slope::squared_norm(x.subspan(3, 7));
  };
  const std::vector<double> x = point(rows * inner + inner * cols);
  std::vector<double> at = x;
  for (double& xi : at) xi *= 1.5;
  const slope::Function fn = slope::Function::record(f, at);
  BOOST_TEST(fn.stats().vector_operations == 4U);
  const auto [value, grad] = slope::value_and_gradient(f, x);
  std::vector<double> replayed(x.size());
  const slope::Evaluation e = fn.value_and_gradient(x, replayed);
  BOOST_TEST(e.ok());
  BOOST_TEST(e.value == value, "replayed " << e.value << " vs live " << value);
  for (std::size_t i = 0; i < x.size(); ++i) BOOST_TEST(close(replayed[i], grad[i], kSameRule), "d/dx" << i);
  check_replay(f, x, value, grad);  // and H v against differences of the gradient
}

BOOST_AUTO_TEST_CASE(matmul_with_an_empty_inner_dimension_gives_zeros) {
  // Found by the fuzzer (UBSan): A [3, 0] times B [0, 9] offset B's null data by the column
  // blocks before finding nothing to add. The entries are empty sums: zeros, and constants.
  std::vector<Var> c(3 * 9, Var(1.0));
  slope::matmul({}, {}, 3, 0, 9, c);
  for (const Var& v : c) {
    BOOST_TEST(v.value() == 0.0);
    BOOST_TEST(v.is_constant());
  }
}

BOOST_AUTO_TEST_CASE(matmul_of_listed_operands_matches_the_scalar_recording) {
  // A's entries in reverse order and one entry of B a constant: both operands are id lists,
  // whose adjoints the sweep gathers in scratch instead of adding to them in place.
  const std::size_t rows = 5;
  const std::size_t inner = 6;
  const std::size_t cols = 9;
  const std::size_t a_size = rows * inner;
  const auto operands = [&](auto x) {
    using T = std::remove_cvref_t<decltype(x[0])>;
    std::vector<T> a(a_size), b(inner * cols);
    for (std::size_t e = 0; e < a_size; ++e) a[e] = x[a_size - 1 - e];
    for (std::size_t e = 0; e < b.size(); ++e) b[e] = e == 4 ? T(0.5) : x[a_size + e];
    return std::pair{a, b};
  };
  check_against_oracles(
      [&](std::span<const Var> x) {
        const auto [a, b] = operands(x);
        std::vector<Var> c(rows * cols);
        slope::matmul(a, b, rows, inner, cols, c);
        return weighted_squares(std::span<const Var>(c));
      },
      [&](auto x) {
        const auto [a, b] = operands(x);
        using T = std::remove_cvref_t<decltype(x[0])>;
        std::vector<T> c(rows * cols);
        for (std::size_t i = 0; i < rows; ++i) {
          for (std::size_t j = 0; j < cols; ++j) {
            T s = 0.0;
            for (std::size_t l = 0; l < inner; ++l) s += a[i * inner + l] * b[l * cols + j];
            c[i * cols + j] = s;
          }
        }
        return weighted_squares(std::span<const T>(c));
      },
      point(a_size + inner * cols));
}

BOOST_DATA_TEST_CASE(broadcast_operations_match_the_scalar_recording, bdata::make(kSizes), n) {
  // x = (v_0 ... v_{n-1}, s): a vector and the scalar broadcast over it.
  const std::vector<double> c = point(n, 4.0);
  const auto split = [n](auto x) { return std::pair{x.first(n), x[n]}; };
  check_against_oracles(
      [&](std::span<const Var> x) {
        const auto [v, s] = split(x);
        std::vector<Var> a(n), b(n), m(n), d(n), ca(n), cs(n), cm(n), cd(n), e(n);
        slope::add(v, s, a);
        slope::subtract(v, s, b);
        slope::multiply(v, s, m);
        slope::divide(v, s, d);
        slope::add(c, s, ca);
        slope::subtract(c, s, cs);
        slope::multiply(c, s, cm);
        slope::divide(c, s, cd);
        slope::multiply(v, c, e);
        Var f = 0.0;
        for (const auto* y : {&a, &b, &m, &d, &ca, &cs, &cm, &cd, &e}) f += weighted_squares(std::span<const Var>(*y));
        return f;
      },
      [&](auto x) {
        const auto [v, s] = split(x);
        using T = std::remove_cvref_t<decltype(x[0])>;
        T f = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
          const T ys[] = {v[i] + s, v[i] - s, v[i] * s, v[i] / s, c[i] + s, c[i] - s, c[i] * s, c[i] / s, v[i] * c[i]};
          for (const T& y : ys) f += weight(i) * y * y;
        }
        return f;
      },
      [&] {
        std::vector<double> x = point(n);
        x.push_back(1.7);
        return x;
      }());
}

BOOST_AUTO_TEST_CASE(broadcast_in_place_and_with_the_scalar_inside_the_output) {
  // out aliases x, and s is an element of out: s must be read before out is written.
  check_against_oracles(
      [](std::span<const Var> x) {
        std::vector<Var> v(x.begin(), x.end());
        slope::multiply(v, v[2], v);
        slope::add(v, v[0], v);
        return weighted_squares(std::span<const Var>(v));
      },
      [](auto x) {
        using T = std::remove_cvref_t<decltype(x[0])>;
        std::vector<T> v(x.begin(), x.end());
        const T s = v[2];
        for (auto& e : v) e = e * s;
        const T t = v[0];
        for (auto& e : v) e = e + t;
        return weighted_squares(std::span<const T>(v));
      },
      point(6));
}

BOOST_DATA_TEST_CASE(elementwise_functions_match_the_scalar_recording, bdata::make(kSizes), n) {
  check_against_oracles(
      [](std::span<const Var> x) {
        const std::size_t size = x.size();
        std::vector<Var> a(size), b(size), c(size), d(size), e(size), f(size), g(size), h(size);
        slope::exp(x, a);
        slope::log(a, b);  // log(exp(x)): both rules in one chain
        slope::log1p(a, c);
        slope::square(x, d);
        slope::sigmoid(x, e);
        slope::log_sigmoid(x, f);
        const std::vector<Var> xs = scattered(x);
        g.resize(xs.size());
        slope::softplus(xs, g);
        slope::elementwise<slope::Tanh>(x, h);
        return slope::dot(b, c) + slope::sum(d) + slope::squared_norm(e) + slope::sum(f) + slope::sum(g) + slope::sum(h);
      },
      [](auto x) {
        using std::exp, std::log, std::log1p, std::tanh;
        using T = std::remove_cvref_t<decltype(x[0])>;
        T f = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i) {
          const T a = exp(x[i]);
          const T s = 1.0 / (1.0 + exp(-x[i]));
          f += log(a) * log1p(a) + x[i] * x[i] + s * s + log(s) + tanh(x[i]);
        }
        for (const auto& v : scattered_scalar(x)) f += log1p(exp(v));
        return f;
      },
      point(n));
}

BOOST_AUTO_TEST_CASE(logistic_regression_with_vector_nodes_matches_scalar_ops) {
  constexpr std::size_t rows = 23;
  constexpr std::size_t cols = 4;
  const std::vector<double> X = point(rows * cols, 0.7);
  std::vector<double> y(rows);
  for (std::size_t i = 0; i < rows; ++i) y[i] = i % 3 == 0 ? 1.0 : 0.0;
  check_against_oracles(
      [&](std::span<const Var> x) {
        std::vector<Var> z(rows), p(rows);
        slope::matvec(ConstMatrixView(X.data(), rows, cols), x.first(cols), z);
        slope::add(z, x[cols], z);
        slope::softplus(z, p);
        return slope::dot(z, y) - slope::sum(p);
      },
      [&](auto x) {
        using T = std::remove_cvref_t<decltype(x[0])>;
        T lp = 0.0;
        for (std::size_t i = 0; i < rows; ++i) {
          T z = x[cols];
          for (std::size_t j = 0; j < cols; ++j) z += X[i * cols + j] * x[j];
          const T s = 1.0 / (1.0 + exp(-z));
          lp += y[i] * log(s) + (1.0 - y[i]) * log(1.0 - s);
        }
        return lp;
      },
      point(cols + 1));
}

BOOST_AUTO_TEST_SUITE_END()
