// A Function replayed with a workspace's threads (Workspace::set_threads): long runs and large
// matrix-vector products are split, and the value, gradient and Hessian-vector product have
// the same bits for 1, 2 and 3 threads, and agree with the live tape.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>

#include <cmath>
#include <cstring>
#include <span>
#include <vector>

#include "support/check_derivative.hpp"
#include "vector_points.hpp"

using slope::ConstMatrixView;
using slope::Var;
using slope::test::kSameRule;

namespace {

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

/// A logistic-like objective over `rows` rows of an 8-column matrix, with every kind of run the
/// replay may split: an elementwise rule (softplus), a broadcast scalar (z_i + b: one shared
/// slot per column), products with constants (y_i z_i), a shared scale (z_i * w[0]), a run
/// that reads its neighbours (z_i * z_(i+1), never split), and both kinds of map.
struct Model {
  std::size_t rows;
  std::vector<double> X, y;
  explicit Model(std::size_t n) : rows(n), X(n * 8), y(n) {
    for (std::size_t k = 0; k < X.size(); ++k) X[k] = std::sin(0.731 * static_cast<double>(k)) * 0.5;
    for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<double>((i * 7) % 3 == 0);
  }
  Var operator()(std::span<const Var> theta) const {
    const std::span<const Var> w = theta.first(8);
    const Var& b = theta[8];
    std::vector<Var> z(rows), terms(rows), back(8);
    slope::matvec(ConstMatrixView(X.data(), rows, 8), w, z);
    for (std::size_t i = 0; i < rows; ++i) z[i] = z[i] + b;
    // One operation over all rows at a time, as the language evaluates: long runs of one rule.
    std::vector<Var> soft(rows), fit(rows), scaled(rows);
    for (std::size_t i = 0; i < rows; ++i) soft[i] = slope::softplus(z[i]);
    for (std::size_t i = 0; i < rows; ++i) fit[i] = y[i] * z[i];
    for (std::size_t i = 0; i < rows; ++i) scaled[i] = z[i] * w[0];
    for (std::size_t i = 0; i < rows; ++i) terms[i] = soft[i] - fit[i];
    for (std::size_t i = 0; i < rows; ++i) terms[i] = terms[i] + 0.01 * scaled[i];
    std::vector<Var> pairs(rows - 1);
    for (std::size_t i = 0; i + 1 < rows; ++i) pairs[i] = z[i] * z[i + 1];
    slope::vecmat(terms, ConstMatrixView(X.data(), rows, 8), back);  // X^T terms
    return slope::sum(terms) + 1e-3 * slope::sum(pairs) + 1e-4 * slope::squared_norm(back);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(function_threads)

BOOST_AUTO_TEST_CASE(a_replay_has_the_same_bits_on_any_number_of_threads) {
  const Model model(30000);  // runs of 30000: above the split threshold
  std::vector<double> theta(9);
  for (std::size_t j = 0; j < 9; ++j) theta[j] = 0.1 * std::cos(static_cast<double>(j));
  const slope::Function f = slope::Function::record(model, theta);
  BOOST_TEST(f.stats().split_runs >= 3u);  // z + b, softplus, z w[0] (the 3-term combinations have 3 edges: serial)
  BOOST_TEST(f.stats().vector_operations == 5u);
  const auto [live_value, live_gradient] = slope::value_and_gradient(model, theta);

  std::vector<double> v(9);
  for (std::size_t j = 0; j < 9; ++j) v[j] = std::sin(1.0 + static_cast<double>(j));
  std::vector<double> first_gradient, first_hv;
  double first_value = 0.0;
  for (const std::size_t threads : {1U, 2U, 3U}) {
    slope::Function::Workspace ws;
    ws.set_threads(threads);
    BOOST_TEST(ws.threads() == threads);
    std::vector<double> gradient(9), hv(9);
    for (int repeat = 0; repeat < 2; ++repeat) {  // the team is reused
      const slope::Evaluation e = f.value_and_gradient(theta, gradient, ws);
      BOOST_TEST(e.ok());
      BOOST_TEST((f.hessian_vector_product(theta, v, hv, ws) == slope::ReplayStatus::Ok));
      if (threads == 1 && repeat == 0) {
        first_value = e.value;
        first_gradient = gradient;
        first_hv = hv;
        BOOST_TEST(std::abs(e.value - live_value) <= 1e-12 * std::abs(live_value));
        for (std::size_t j = 0; j < 9; ++j) BOOST_TEST(close(gradient[j], live_gradient[j], kSameRule));
      }
      BOOST_TEST(e.value == first_value);
      BOOST_TEST(same_bits(gradient, first_gradient));
      BOOST_TEST(same_bits(hv, first_hv));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_copied_workspace_keeps_the_thread_count_and_zero_means_every_core) {
  slope::Function::Workspace ws;
  BOOST_TEST(ws.threads() == 1u);
  ws.set_threads(3);
  const slope::Function::Workspace copy = ws;
  BOOST_TEST(copy.threads() == 3u);
  ws.set_threads(0);
  BOOST_TEST(ws.threads() >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()
