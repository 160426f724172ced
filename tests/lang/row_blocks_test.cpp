// Models evaluated block by block over their data rows (Model::set_rows_per_block): the value
// and gradient equal the model evaluated whole up to the order of the sums, match central
// differences, have the same bits for every thread count, follow a comparison that flips in
// some blocks, and models whose rows do not split into sums are evaluated whole. Objectives
// affine in their sums over rows (one backward sweep per block) and not (one per sum) both.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "lang/support.hpp"
#include "support/finite_difference.hpp"

using slope::lang::Matrix;
using slope::lang::Model;
using slope::lang::test::kRowsHead;
using slope::lang::test::points_near_start;
using slope::test::close;

namespace {

constexpr std::size_t kRows = 1000;
constexpr std::size_t kCols = 3;
constexpr std::size_t kRowsPerBlock = 64;  // 16 blocks

struct Data {
  std::vector<double> X, y;
  Data() : X(kRows * kCols), y(kRows) {
    for (std::size_t i = 0; i < X.size(); ++i) X[i] = std::sin(0.9 * static_cast<double>(i) + 0.2);
    for (std::size_t i = 0; i < kRows; ++i) y[i] = static_cast<double>(1 + (i * 7) % kCols);
  }
  [[nodiscard]] Model model(const std::string& source, std::size_t rows_per_block, std::size_t threads = 1) const {
    Model m = Model::parse(source, "m.slope");
    m.bind_data("X", Matrix::view(X, kRows, kCols, "X.csv"));
    if (source.find("data y") != std::string::npos) m.bind_data("y", Matrix::view(y, kRows, 1, "y.csv"));
    m.set_rows_per_block(rows_per_block);
    m.set_threads(threads);
    m.check();
    return m;
  }
};

struct Evaluation {
  double value = 0;
  std::vector<double> gradient;
};

/// value_and_gradient at each point, in turn.
std::vector<Evaluation> evaluate(const Model& m, const std::vector<std::vector<double>>& points) {
  std::vector<Evaluation> out;
  for (const auto& theta : points) {
    Evaluation e;
    e.gradient.assign(theta.size(), 0.0);
    e.value = m.value_and_gradient(theta, e.gradient);
    out.push_back(std::move(e));
  }
  return out;
}


}  // namespace

BOOST_AUTO_TEST_SUITE(blocked_evaluation)

BOOST_AUTO_TEST_CASE(blocks_give_the_whole_models_value_and_gradient_with_the_same_bits_on_any_thread_count) {
  const Data data;
  const std::vector<std::string> objectives = {
      "sum(y .* log_sigmoid(X * w + b) + (1 - y) .* log_sigmoid(-(X * w + b))) - 0.1 * dot(w, w)",  // logistic
      "dot(y, X * w + b) - sum(softplus(X * w + b)) - dot(w, w)",  // the same, two reductions over rows
      "mean((X * w + b - y) .^ 2) + n * log(s)",                    // a mean; n is all the rows
      "normal_lpdf(y | X * w + b, s)",                              // a density over rows
      "sum(i in 1:n, log_softmax(X * W + c)[i, y[i]]) - sum(W .* W)",  // softmax, labels as indices
      "sum(i in 1:n, (dot(X[i], w) - y[i])^2 / n)",                 // a loop over the rows
      "sum((X' * (X * w - y)) .^ 2) + sum(row_sums(X * W) .* y) / n",  // four parts: X' r and a sum
      "log(sum(exp(X * w)) + mean(y)) * s",                          // a non-linear function of the sums
      "sum(fmax(X * w + b, 0.05)) - sum(abs(X * w)) * s",            // comparisons that flip between points
      "sum(col_sums(X * W) .* c) + sum(col_means(X) .* w) / s + b",  // six parts, affine: one sweep
      "sum(X * w) * mean(X * w) + sum(y .* (X * w)) / mean(y .* y) * b",  // products of sums: not affine
  };
  for (const std::string& objective : objectives) {
    const std::string source = kRowsHead + "maximize " + objective;
    BOOST_TEST_CONTEXT(objective) {
      const Model whole = data.model(source, Model::kNoRowBlocks);
      const auto points = points_near_start(whole);
      const std::vector<Evaluation> expected = evaluate(whole, points);
      BOOST_TEST(whole.row_blocks() == 0U);

      const Model blocked = data.model(source, kRowsPerBlock);
      BOOST_TEST(blocked.row_blocks() == 16U);
      const std::vector<Evaluation> got = evaluate(blocked, points);
      for (std::size_t k = 0; k < points.size(); ++k) {
        BOOST_TEST(close(got[k].value, expected[k].value, {.rtol = 1e-12, .atol = 1e-12}),
                   got[k].value << " vs " << expected[k].value);
        BOOST_TEST(close(got[k].value, blocked.value(points[k]), {.rtol = 1e-12, .atol = 1e-12}));
        for (std::size_t j = 0; j < got[k].gradient.size(); ++j) {
          BOOST_TEST(close(got[k].gradient[j], expected[k].gradient[j], {.rtol = 1e-11, .atol = 1e-11}),
                     "point " << k << ", " << j << ": " << got[k].gradient[j] << " vs " << expected[k].gradient[j]);
        }
      }
      // Against central differences of the value in doubles (an independent evaluation).
      const std::vector<double> numeric = slope::test::central_gradient(
          [&](std::span<const double> theta) { return blocked.value(theta); }, points[1]);
      for (std::size_t j = 0; j < numeric.size(); ++j) {
        BOOST_TEST(close(got[1].gradient[j], numeric[j], {.rtol = 1e-6, .atol = 1e-6}),
                   j << ": " << got[1].gradient[j] << " vs " << numeric[j]);
      }
      // Every thread count, and the same model again, gives the same bits.
      for (const std::size_t threads : {2U, 3U, 0U}) {
        const std::vector<Evaluation> again = evaluate(data.model(source, kRowsPerBlock, threads), points);
        for (std::size_t k = 0; k < points.size(); ++k) {
          BOOST_TEST(again[k].value == got[k].value, threads << " threads");
          BOOST_TEST(again[k].gradient == got[k].gradient, boost::test_tools::per_element());
        }
      }
      const std::vector<Evaluation> repeated = evaluate(blocked, points);
      BOOST_TEST(repeated[0].value == got[0].value);
      BOOST_TEST(repeated[0].gradient == got[0].gradient, boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(models_whose_rows_do_not_split_into_a_few_sums_are_evaluated_whole) {
  const Data data;
  for (const std::string objective : {
           "sum((y - mean(y)) .^ 2) * b",    // a reduction over rows inside another
           "log_sum_exp(X * w)",             // rows meet in a log_sum_exp
           "sum(col_sums(X * W) .^ 2) + sum(col_means(X) .^ 2) * b",  // six parts, squared: a sweep each
       }) {
    BOOST_TEST_CONTEXT(objective) {
      const Model m = data.model(kRowsHead + "maximize " + objective, kRowsPerBlock);
      BOOST_TEST(m.row_blocks() == 0U);
      const Model whole = data.model(kRowsHead + "maximize " + objective, Model::kNoRowBlocks);
      const auto points = points_near_start(m);
      const std::vector<Evaluation> got = evaluate(m, points);
      const std::vector<Evaluation> expected = evaluate(whole, points);
      BOOST_TEST(got[2].value == expected[2].value);
      BOOST_TEST(got[2].gradient == expected[2].gradient, boost::test_tools::per_element());
    }
  }
  // Too few rows for two blocks of the default size.
  BOOST_TEST(data.model(kRowsHead + "maximize sum(X * w)", 0).row_blocks() == 0U);
  BOOST_TEST(data.model(kRowsHead + "maximize sum(X * w)", 500).row_blocks() == 2U);
}

BOOST_AUTO_TEST_CASE(a_domain_error_in_one_block_gives_the_same_value_as_the_whole_model) {
  Data data;
  data.y[700] = -1.0;  // log of a negative in the eleventh block
  const std::string source = kRowsHead + "maximize sum(log(y) .* (X * w))";
  const Model whole = data.model(source, Model::kNoRowBlocks);
  const Model blocked = data.model(source, kRowsPerBlock);
  const auto points = points_near_start(whole);
  const auto expected = evaluate(whole, points);
  const auto got = evaluate(blocked, points);
  BOOST_TEST(std::isnan(expected[0].value));
  BOOST_TEST(std::isnan(got[0].value));
  // The checked evaluation names the operation, as for the whole model.
  std::vector<double> gradient(points[0].size());
  const std::string error = slope::lang::test::error_of<slope::lang::EvaluationError>(
      [&] { (void)blocked.value_and_gradient(points[0], gradient, true); });
  BOOST_TEST(error.find("log") != std::string::npos, error);
}

BOOST_AUTO_TEST_CASE(a_checked_evaluation_by_blocks_reports_the_first_error_in_row_order_as_the_whole_model) {
  Data data;
  data.y[700] = -1.0;  // the eleventh block
  data.y[130] = -2.0;  // the third: reported first, whichever thread reaches its block first
  const std::string source = kRowsHead + "maximize sum(log(y) .* (X * w))";
  const Model whole = data.model(source, Model::kNoRowBlocks);
  const auto theta = points_near_start(whole)[0];
  std::vector<double> gradient(theta.size());
  const auto checked_error = [&](const Model& m) {
    return slope::lang::test::error_of<slope::lang::EvaluationError>(
        [&] { (void)m.value_and_gradient(theta, gradient, true); });
  };
  const std::string expected = checked_error(whole);
  BOOST_TEST(expected.find("log") != std::string::npos, expected);
  for (const std::size_t threads : {1, 2, 3}) {
    const Model blocked = data.model(source, kRowsPerBlock, threads);
    BOOST_TEST(checked_error(blocked) == expected, threads << " threads");
    BOOST_TEST(blocked.row_blocks() == 16U);
    // The checked call recorded the blocks' programs too: the unchecked ones replay them.
    BOOST_TEST(std::isnan(blocked.value_and_gradient(theta, gradient)));
  }
  data.y[130] = 1.0;  // now only the eleventh block fails
  const Model whole_one = data.model(source, Model::kNoRowBlocks);
  const Model blocked_one = data.model(source, kRowsPerBlock, 2);
  BOOST_TEST(checked_error(blocked_one) == checked_error(whole_one));
}

BOOST_AUTO_TEST_CASE(new_data_or_constants_make_new_blocks) {
  Data data;
  const std::string source = "data X[n, d]\nconst k = 1\nparam w[d] = 0.5\nmaximize -k * sum((X * w) .^ 2)";
  Model m = Model::parse(source, "m.slope");
  m.bind_data("X", Matrix::view(data.X, kRows, kCols, "X.csv"));
  m.set_rows_per_block(kRowsPerBlock);
  std::vector<double> theta = m.initial_point(), g1(kCols), g2(kCols);
  const double v1 = m.value_and_gradient(theta, g1);
  m.set_constant("k", 2.0);
  const double v2 = m.value_and_gradient(theta, g2);
  BOOST_TEST(close(v2, 2 * v1, {.rtol = 1e-14, .atol = 0}));
  for (std::size_t j = 0; j < kCols; ++j) BOOST_TEST(close(g2[j], 2 * g1[j], {.rtol = 1e-14, .atol = 0}));
  m.bind_data("X", Matrix::view(std::span<const double>(data.X).first(500 * kCols), 500, kCols, "X.csv"));
  BOOST_TEST(m.row_blocks() == 8U);
  const double v3 = m.value_and_gradient(theta, g1);
  BOOST_TEST(close(v3, m.value(theta), {.rtol = 1e-13, .atol = 0}));
}

BOOST_AUTO_TEST_SUITE_END()
