// Models evaluated against hand-written C++ and central finite differences, and optimized.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <slope/autodiff.hpp>
#include <slope/optim.hpp>
#include <slope/lang/functions.hpp>

#include "lang/support.hpp"
#include "support/finite_difference.hpp"

using slope::lang::CheckError;
using slope::lang::Matrix;
using slope::lang::Model;
using slope::lang::test::error_of;

namespace {

const std::string kLogisticHead =
    "# logistic regression, fitted by ascent on the log-likelihood\n"
    "data X[n, d]                 # a matrix\n"
    "data y[n]                    # a vector\n"
    "const lambda = 0.01          # a named constant\n"
    "param w[d] = 0               # a scalar initial value broadcasts\n"
    "param b = 0\n";
const std::string kVectorized = kLogisticHead +
                                "let z = X * w + b            # a vector of length n\n"
                                "maximize sum(y .* log_sigmoid(z) + (1 - y) .* log_sigmoid(-z)) - lambda * dot(w, w)\n";
const std::string kIndexSum = kLogisticHead +
                              "maximize sum(i in 1:n, y[i] * log_sigmoid(dot(X[i], w) + b)\n"
                              "                     + (1 - y[i]) * log_sigmoid(-(dot(X[i], w) + b))) - lambda * dot(w, w)\n";

/// A reproducible data set: X uniform in [-2, 2], y in {0, 1} from a noisy linear rule.
struct Logistic {
  std::size_t n = 40, d = 3;
  Matrix X, y;
  Logistic() {
    std::mt19937 random(12345);
    auto uniform = [&] { return static_cast<double>(random()) / 4294967296.0; };
    X = Matrix{n, d, std::vector<double>(n * d), "X.csv"};
    y = Matrix{n, 1, std::vector<double>(n), "y.csv"};
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0.3;
      for (std::size_t j = 0; j < d; ++j) {
        X.values[i * d + j] = 4.0 * uniform() - 2.0;
        s += (static_cast<double>(j) + 1.0) * X.values[i * d + j] * (j % 2 == 0 ? 1.0 : -1.0);
      }
      y.values[i] = s + uniform() - 0.5 > 0.0 ? 1.0 : 0.0;
    }
  }
  static double log_sigmoid(double z) { return z >= 0 ? -std::log1p(std::exp(-z)) : z - std::log1p(std::exp(z)); }
  static double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
  /// The log-likelihood minus lambda |w|^2 and its gradient, by hand; theta = (w, b).
  double value_and_gradient(const std::vector<double>& theta, std::vector<double>& grad, double lambda = 0.01) const {
    grad.assign(d + 1, 0.0);
    double value = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      double z = theta[d];
      for (std::size_t j = 0; j < d; ++j) z += X.values[i * d + j] * theta[j];
      value += y.values[i] * log_sigmoid(z) + (1 - y.values[i]) * log_sigmoid(-z);
      const double r = y.values[i] - sigmoid(z);
      for (std::size_t j = 0; j < d; ++j) grad[j] += r * X.values[i * d + j];
      grad[d] += r;
    }
    for (std::size_t j = 0; j < d; ++j) {
      value -= lambda * theta[j] * theta[j];
      grad[j] -= 2.0 * lambda * theta[j];
    }
    return value;
  }
  Model model(const std::string& source) const {
    Model m = Model::parse(source, "logistic.slope");
    m.bind_data("X", X);
    m.bind_data("y", y);
    return m;
  }
};

bool close(double a, double b, double rtol) { return std::fabs(a - b) <= rtol * std::max(1.0, std::fabs(b)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(models)

BOOST_AUTO_TEST_CASE(logistic_in_both_forms_matches_hand_written_and_finite_differences) {
  const Logistic data;
  const std::vector<double> theta{0.4, -0.7, 0.25, 0.1};
  std::vector<double> expected_grad;
  const double expected = data.value_and_gradient(theta, expected_grad);
  for (const std::string& source : {kVectorized, kIndexSum}) {
    const Model model = data.model(source);
    BOOST_TEST(model.parameter_count() == 4u);
    BOOST_TEST((model.sense() == slope::Sense::Maximize));
    std::vector<double> grad(4);
    const double value = model.value_and_gradient(theta, grad);
    BOOST_TEST(close(value, expected, 1e-12), value << " vs " << expected);
    BOOST_TEST(close(model.value(theta), expected, 1e-12));
    for (std::size_t j = 0; j < 4; ++j) BOOST_TEST(close(grad[j], expected_grad[j], 1e-12), j << ": " << grad[j]);
    const auto fd = slope::test::central_gradient([&](std::span<const double> x) { return model.value(x); }, theta);
    for (std::size_t j = 0; j < 4; ++j) BOOST_TEST(slope::test::close(grad[j], fd[j], {.rtol = 1e-6, .atol = 1e-7}));
    // Checked mode records on a tape each time; the replayed Function sums in another order.
    std::vector<double> checked_grad(4);
    BOOST_TEST(close(model.value_and_gradient(theta, checked_grad, true), value, 1e-14));
    for (std::size_t j = 0; j < 4; ++j) BOOST_TEST(close(checked_grad[j], grad[j], 1e-14));
  }
}

BOOST_AUTO_TEST_CASE(later_evaluations_replay_the_recorded_objective_at_the_new_point) {
  // The first call records a Function; the next ones replay it. Each must equal a fresh model
  // evaluated only at that point, and the hand-written gradient.
  const Logistic data;
  for (const std::string& source : {kVectorized, kIndexSum}) {
    const Model model = data.model(source);
    std::vector<double> grad(4), fresh_grad(4), hand_grad;
    for (int k = 0; k < 5; ++k) {
      const std::vector<double> theta{0.4 - 0.3 * k, -0.7 + 0.2 * k, 0.25 * k, 0.1 - 0.05 * k};
      const double value = model.value_and_gradient(theta, grad);
      const double fresh = data.model(source).value_and_gradient(theta, fresh_grad);
      const double hand = data.value_and_gradient(theta, hand_grad);
      BOOST_TEST(value == fresh);
      BOOST_TEST(close(value, hand, 1e-12), k << ": " << value << " vs " << hand);
      for (std::size_t j = 0; j < 4; ++j) {
        BOOST_TEST(grad[j] == fresh_grad[j]);
        BOOST_TEST(close(grad[j], hand_grad[j], 1e-12), k << ", " << j << ": " << grad[j] << " vs " << hand_grad[j]);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_branch_that_flips_between_evaluations_is_followed) {
  // Recorded at x = 2 (the `then` branch); replayed at x = -1 the comparison decides the other
  // way, so the model records again: the value and gradient are those of the `else` branch.
  Model model = Model::parse("param x = 2\nminimize if x > 0 then x^3 else -5 * x", "branch.slope");
  std::vector<double> grad(1);
  BOOST_TEST(model.value_and_gradient(std::vector<double>{2.0}, grad) == 8.0);
  BOOST_TEST(grad[0] == 12.0);
  BOOST_TEST(model.value_and_gradient(std::vector<double>{-1.0}, grad) == 5.0);
  BOOST_TEST(grad[0] == -5.0);
  BOOST_TEST(model.value_and_gradient(std::vector<double>{3.0}, grad) == 27.0);
  BOOST_TEST(grad[0] == 27.0);
}

BOOST_AUTO_TEST_CASE(new_data_or_constants_are_seen_by_the_next_evaluation) {
  Model model = Model::parse("data v[n]\nconst c = 1\nparam w = 1\nminimize c * w * sum(v)", "m.slope");
  model.bind_data("v", Matrix::from_vector(std::vector<double>{1.0, 2.0}));
  std::vector<double> grad(1);
  BOOST_TEST(model.value_and_gradient(std::vector<double>{2.0}, grad) == 6.0);
  model.bind_data("v", Matrix::from_vector(std::vector<double>{1.0, 2.0, 4.0}));
  BOOST_TEST(model.value_and_gradient(std::vector<double>{2.0}, grad) == 14.0);
  BOOST_TEST(grad[0] == 7.0);
  model.set_constant("c", 3.0);
  BOOST_TEST(model.value_and_gradient(std::vector<double>{2.0}, grad) == 42.0);
  BOOST_TEST(grad[0] == 21.0);
}

BOOST_AUTO_TEST_CASE(large_data_is_replayed_like_small_data) {
  // One evaluation path for every size: a million rows (once the limit where the model recorded
  // at each call instead of replaying) give the formula's value and gradient.
  const std::size_t n = (std::size_t{1} << 20) + 3;
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::sin(0.001 * static_cast<double>(i));
  const char* source = "data v[n]\nparam w[2] = 0\nminimize sum((v .* w[1] - 0.5) .^ 2) + w[2]^4";
  Model big = Model::parse(source, "m.slope");
  big.bind_data("v", Matrix::from_vector(v));
  Model small = Model::parse(source, "m.slope");
  small.bind_data("v", Matrix::from_vector(std::span<const double>(v).first(1000)));
  for (const std::vector<double>& w : {std::vector<double>{0.3, -1.0}, std::vector<double>{1.5, 0.5}}) {
    std::vector<double> grad(2), by_hand(2, 0.0);
    for (Model* model : {&big, &small}) {
      const std::size_t rows = model == &big ? n : 1000;
      double value = std::pow(w[1], 4);
      std::fill(by_hand.begin(), by_hand.end(), 0.0);
      for (std::size_t i = 0; i < rows; ++i) {
        const double r = v[i] * w[0] - 0.5;
        value += r * r;
        by_hand[0] += 2.0 * r * v[i];
      }
      by_hand[1] = 4.0 * std::pow(w[1], 3);
      BOOST_TEST(close(model->value_and_gradient(w, grad), value, 1e-11));
      for (std::size_t j = 0; j < 2; ++j) BOOST_TEST(close(grad[j], by_hand[j], 1e-10), j << ": " << grad[j]);
    }
  }
}

BOOST_AUTO_TEST_CASE(data_times_param_records_one_node_per_row) {
  const Logistic data;
  Model model = Model::parse("data X[n, d]\nparam w[d] = 1\nminimize sum(X * w)", "m.slope");
  model.bind_data("X", data.X);
  slope::Tape tape;
  auto recording = tape.record();
  const std::vector<slope::Var> w = tape.inputs(std::vector<double>(data.d, 1.0));
  const slope::Var y = model.value(w);
  BOOST_TEST(tape.size() <= data.d + data.n + 1);  // inputs, one node per row, the sum
  tape.backward(y);
  for (std::size_t j = 0; j < data.d; ++j) {
    double column = 0.0;
    for (std::size_t i = 0; i < data.n; ++i) column += data.X(i, j);
    BOOST_TEST(close(tape.adjoint(w[j]), column, 1e-13));
  }
}

BOOST_AUTO_TEST_CASE(optimizing_the_logistic_model_converges_and_reports_the_written_sense) {
  const Logistic data;
  const Model model = data.model(kVectorized);
  const std::vector<double> start = model.initial_point();
  const slope::Result result = slope::optimize(model.objective(), model.initial_point(), model.sense());
  BOOST_TEST(result.converged(), result.message);
  BOOST_TEST((result.sense == slope::Sense::Maximize));
  std::vector<double> grad;
  BOOST_TEST(close(result.value, data.value_and_gradient(result.x, grad), 1e-12));  // as written: a log-likelihood
  BOOST_TEST(result.value < 0.0);
  BOOST_TEST(result.value > model.value(start));
  for (const double g : grad) BOOST_TEST(std::fabs(g) < 1e-4);
  // The index-sum form finds the same optimum.
  const Model indexed = data.model(kIndexSum);
  const slope::Result again = slope::optimize(indexed.objective(), indexed.initial_point(), indexed.sense());
  for (std::size_t j = 0; j < result.x.size(); ++j) BOOST_TEST(std::fabs(again.x[j] - result.x[j]) < 1e-5);
}

BOOST_AUTO_TEST_CASE(rosenbrock_by_index_sum) {
  const std::string source =
      "const m = 2\n"
      "param x[4] = [-1.2, 1, -1.2, 1]\n"
      "minimize sum(i in 1:m, 100 * (x[2*i] - x[2*i-1]^2)^2 + (1 - x[2*i-1])^2)\n";
  const Model model = Model::parse(source, "rosenbrock.slope");
  const std::vector<double> x0 = model.initial_point();
  BOOST_TEST(x0 == (std::vector<double>{-1.2, 1, -1.2, 1}), boost::test_tools::per_element());
  std::vector<double> grad(4);
  BOOST_TEST(close(model.value_and_gradient(x0, grad), 48.4, 1e-14));
  const std::vector<double> x{0.5, -0.3, 1.5, 2.0};
  model.value_and_gradient(x, grad);
  for (std::size_t i = 0; i < 2; ++i) {
    const double a = x[2 * i], b = x[2 * i + 1];
    BOOST_TEST(close(grad[2 * i], -400 * a * (b - a * a) - 2 * (1 - a), 1e-13));
    BOOST_TEST(close(grad[2 * i + 1], 200 * (b - a * a), 1e-13));
  }
  const slope::Result result = slope::minimize(model.objective(), x0, slope::Lbfgs{}, {.gradient_tolerance = 1e-9});
  BOOST_TEST(result.converged(), result.message);
  for (const double xi : result.x) BOOST_TEST(std::fabs(xi - 1.0) < 1e-6);
}

BOOST_AUTO_TEST_CASE(least_squares_recovers_the_generating_coefficients) {
  const std::size_t n = 12, d = 3;
  const std::vector<double> truth{1.5, -2.0, 0.25};
  Matrix A{n, d, std::vector<double>(n * d), ""};
  Matrix t{n, 1, std::vector<double>(n), ""};
  std::mt19937 random(7);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      A.values[i * d + j] = static_cast<double>(random()) / 4294967296.0 - 0.5;
      t.values[i] += A.values[i * d + j] * truth[j];
    }
  }
  Model model = Model::parse("data A[n, d]\ndata t[n]\nparam x[d] = 0\nlet r = A * x - t\nminimize dot(r, r)");
  model.bind_data("A", A);
  model.bind_data("t", t);
  // Gradient 2 A^T (A x - t) at x = (1, 1, 1).
  const std::vector<double> ones(d, 1.0);
  std::vector<double> grad(d), expected(d, 0.0);
  model.value_and_gradient(ones, grad);
  for (std::size_t i = 0; i < n; ++i) {
    double r = -t.values[i];
    for (std::size_t j = 0; j < d; ++j) r += A(i, j);
    for (std::size_t j = 0; j < d; ++j) expected[j] += 2 * A(i, j) * r;
  }
  for (std::size_t j = 0; j < d; ++j) BOOST_TEST(close(grad[j], expected[j], 1e-12));
  const slope::Result result = slope::optimize(model.objective(), model.initial_point(), model.sense());
  BOOST_TEST(result.converged(), result.message);
  for (std::size_t j = 0; j < d; ++j) BOOST_TEST(std::fabs(result.x[j] - truth[j]) < 1e-6);
}

BOOST_AUTO_TEST_CASE(set_constant_changes_the_objective) {
  const Logistic data;
  Model model = data.model(kVectorized);
  const std::vector<double> theta{0.4, -0.7, 0.25, 0.1};
  const double before = model.value(theta);
  model.set_constant("lambda", 0.5);
  std::vector<double> grad;
  BOOST_TEST(close(model.value(theta), data.value_and_gradient(theta, grad, 0.5), 1e-12));
  BOOST_TEST(model.value(theta) < before);
}

BOOST_AUTO_TEST_CASE(parameters_vector_literals_and_initial_point) {
  Model model = Model::parse(
      "const t = [0.5, 1, 2]\n"
      "param a = 2\n"
      "param w[3] = [-1.2, 1, 0.5]\n"
      "param M[2, 2] = [1, 2, 3, 4]\n"
      "param z[2, 3] = -t[2]\n"
      "minimize dot(w, t) + a + sum(M) + M[2, 1] * sum(z) + sum(M * [1, 1])",
      "p.slope");
  BOOST_TEST(model.initial_point() == (std::vector<double>{2, -1.2, 1, 0.5, 1, 2, 3, 4, -1, -1, -1, -1, -1, -1}),
             boost::test_tools::per_element());
  const auto parameters = model.parameters();
  BOOST_TEST_REQUIRE(parameters.size() == 4u);
  BOOST_TEST(parameters[1].name == "w");
  BOOST_TEST(parameters[1].offset == 1u);
  BOOST_TEST((parameters[2].shape == slope::lang::Shape{2, 2, 2}));
  BOOST_TEST(parameters[3].offset == 8u);
  std::vector<double> theta = model.initial_point();
  // dot(w, t) + a + sum(M) + M[2, 1] * sum(z) + sum(M * [1, 1]) = 1.4 + 2 + 10 + 3 * -6 + (3 + 7)
  BOOST_TEST(close(model.value(theta), 5.4, 1e-14));
  model.set_parameter(theta, "w", std::vector<double>{1, 2, 3});
  BOOST_TEST(model.parameter_values(theta, "w") == (std::vector<double>{1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(theta[0] == 2.0);
  BOOST_TEST(theta[4] == 1.0);
  BOOST_TEST(error_of<CheckError>([&] { model.set_parameter(theta, "w", std::vector<double>{1, 2}); }) ==
             "p.slope: error: param 'w' has shape [3] (3 values), but 2 values were given");
  BOOST_TEST(error_of<CheckError>([&] { (void)model.parameter_values(theta, "q"); }) ==
             "p.slope: error: the model declares no param named 'q'");
  BOOST_CHECK_THROW((void)model.value(std::vector<double>{1.0}), slope::Error);
}

BOOST_AUTO_TEST_CASE(functions_comparisons_and_conditionals_match_double_code) {
  const std::string source =
      "param x = 0.3\nparam y = 1.7\nparam v[3] = [0.2, -0.4, 0.9]\n"
      "minimize exp(x) + log(y) + log1p(x) + expm1(x) + sqrt(y) + abs(-x) + sin(x) + cos(x) + tan(x)"
      " + asin(x) + acos(x) + atan(x) + atan2(x, y) + sinh(x) + cosh(x) + tanh(x) + pow(y, x) + min(x, y)"
      " + max(x, y) + hypot(x, y) + erf(x) + erfc(x) + lgamma(y) + sigmoid(x) + log_sigmoid(x) + softplus(x)"
      " + mean(v) + norm(v) + log_sum_exp(v) + log_sum_exp(x, y) + prod(k in 1:3, v[k] + k)"
      " + (if x < y then 10 else 20) + (x >= y) + (x != y) + sum(exp(v) ./ 2 .^ v) + y / 2 - x ^ 2";
  const Model model = Model::parse(source);
  const double x = 0.3, y = 1.7;
  const double v[3] = {0.2, -0.4, 0.9};
  const double lse = std::log(std::exp(0.2) + std::exp(-0.4) + std::exp(0.9));
  double ew = 0.0;
  for (const double vi : v) ew += std::exp(vi) / std::pow(2.0, vi);
  const double expected = std::exp(x) + std::log(y) + std::log1p(x) + std::expm1(x) + std::sqrt(y) + x + std::sin(x) +
                          std::cos(x) + std::tan(x) + std::asin(x) + std::acos(x) + std::atan(x) + std::atan2(x, y) +
                          std::sinh(x) + std::cosh(x) + std::tanh(x) + std::pow(y, x) + x + y + std::hypot(x, y) +
                          std::erf(x) + std::erfc(x) + std::lgamma(y) + 1 / (1 + std::exp(-x)) +
                          Logistic::log_sigmoid(x) + std::log1p(std::exp(x)) + 0.7 / 3 +
                          std::sqrt(0.04 + 0.16 + 0.81) + lse + std::log(std::exp(x) + std::exp(y)) +
                          (0.2 + 1) * (-0.4 + 2) * (0.9 + 3) + 10 + 0 + 1 + ew + y / 2 - x * x;
  const std::vector<double> theta = model.initial_point();
  BOOST_TEST(close(model.value(theta), expected, 1e-13));
  std::vector<double> grad(theta.size());
  BOOST_TEST(close(model.value_and_gradient(theta, grad), expected, 1e-13));
  const auto fd = slope::test::central_gradient([&](std::span<const double> t) { return model.value(t); }, theta);
  for (std::size_t j = 0; j < theta.size(); ++j) {
    BOOST_TEST(slope::test::close(grad[j], fd[j], {.rtol = 1e-6, .atol = 1e-7}), j << ": " << grad[j] << " vs " << fd[j]);
  }
}

BOOST_AUTO_TEST_CASE(value_and_gradient_reuses_its_tape) {
  const Logistic data;
  const Model model = data.model(kIndexSum);
  std::vector<double> grad(4), again(4);
  const std::vector<double> theta{0.1, 0.2, 0.3, 0.4};
  const double first = model.value_and_gradient(theta, grad);
  for (int k = 0; k < 3; ++k) BOOST_TEST(model.value_and_gradient(theta, again) == first);
  BOOST_TEST(again == grad);
}

BOOST_AUTO_TEST_SUITE_END()

// The elementwise functions are generated from autodiff's one list of operations: each one of
// the language's table, called in a model, gives its rule's value and derivative (so a rule
// added to the list is a working function of the language, never the identity).
BOOST_AUTO_TEST_CASE(every_elementwise_function_of_the_table_applies_its_rule) {
  std::size_t tried = 0;
  for (const slope::lang::FunctionInfo& f : slope::lang::functions()) {
    if (f.kind != slope::lang::FunctionKind::Elementwise) continue;
    const bool binary = f.min_arguments == 2;
    // The rule itself, found in the list by its code, applied on a tape.
    const auto direct = [&](const std::vector<double>& theta, std::vector<double>& g) {
      double v = std::nan("");
      slope::for_each_rule(slope::BuiltinRules{}, [&]<class R>() {
        if (slope::op_code<R> != f.rule) return;
        if constexpr (slope::UnaryRule<R>) {
          v = slope::value_and_gradient([](std::span<const slope::Var> x) { return slope::record_unary<R>(x[0]); }, theta, g);
        } else if constexpr (slope::BinaryRule<R>) {
          v = slope::value_and_gradient([](std::span<const slope::Var> x) { return slope::record_binary<R>(x[0], x[1]); },
                                        theta, g);
        }
      });
      return v;
    };
    std::vector<double> theta = binary ? std::vector<double>{0.6, 0.3} : std::vector<double>{0.6};
    std::vector<double> want(theta.size());
    if (!std::isfinite(direct(theta, want))) theta[0] = 1.6;  // acosh: x >= 1
    const double expected = direct(theta, want);
    const std::string params = binary ? fmt::format("param x = {}\nparam y = {}\n", theta[0], theta[1])
                                      : fmt::format("param x = {}\n", theta[0]);
    const std::string source = params + (binary ? fmt::format("minimize {}(x, y)", f.name) : fmt::format("minimize {}(x)", f.name));
    BOOST_TEST_CONTEXT(source) {
      Model model = Model::parse(source, "f.slope");
      std::vector<double> grad(theta.size());
      BOOST_TEST(model.value_and_gradient(theta, grad) == expected);
      const auto plain = [&](std::span<const double> p) {
        std::vector<double> g(p.size());
        return Model::parse(source, "f.slope").value_and_gradient(std::vector<double>(p.begin(), p.end()), g);
      };
      const std::vector<double> fd = slope::test::central_gradient(plain, theta);
      for (std::size_t i = 0; i < theta.size(); ++i) {
        BOOST_TEST(grad[i] == want[i]);
        BOOST_TEST(slope::test::close(grad[i], fd[i], slope::test::Tolerance{}), grad[i] << " vs fd " << fd[i]);
      }
    }
    ++tried;
  }
  // Every rule of FunctionRules but fma (three arguments) and log_sum_exp (a reduction), plus
  // the aliases min and max.
  BOOST_TEST(tried == slope::FunctionRules::size - 2 + 2);
}
