// Logistic regression: ascent on the log-likelihood and descent on the negative
// log-likelihood give the same weights, and both match Newton's method written here with a
// hand-derived gradient and Hessian (an independent solution).
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/optim.hpp>

#include <cmath>
#include <random>
#include <vector>

using slope::Var;

namespace {

/// 300 rows, 3 features plus an intercept, labels drawn from a logistic model (seeded).
struct Data {
  static constexpr std::size_t kRows = 300;
  static constexpr std::size_t kFeatures = 3;
  std::vector<double> x;  // row-major kRows x kFeatures
  std::vector<double> y;  // 0 or 1

  Data() : x(kRows * kFeatures), y(kRows) {
    std::mt19937_64 rng(20261123);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const double w[kFeatures] = {1.5, -2.0, 0.5};
    const double b = 0.3;
    for (std::size_t i = 0; i < kRows; ++i) {
      double z = b;
      for (std::size_t j = 0; j < kFeatures; ++j) {
        x[i * kFeatures + j] = normal(rng);
        z += w[j] * x[i * kFeatures + j];
      }
      y[i] = uniform(rng) < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
    }
  }
};

const Data& data() {
  static const Data d;
  return d;
}

/// Log-likelihood of params = (w_1..w_d, b): sum_i y_i log s(z_i) + (1 - y_i) log(1 - s(z_i)).
Var log_likelihood(std::span<const Var> p) {
  const Data& d = data();
  Var ll = 0.0;
  for (std::size_t i = 0; i < Data::kRows; ++i) {
    Var z = p[Data::kFeatures];
    for (std::size_t j = 0; j < Data::kFeatures; ++j) z += d.x[i * Data::kFeatures + j] * p[j];
    ll += d.y[i] * log_sigmoid(z) + (1.0 - d.y[i]) * log_sigmoid(-z);
  }
  return ll;
}

/// The negative log-likelihood, written out on its own (not as -log_likelihood) so that the
/// two runs really are two different objectives.
Var negative_log_likelihood(std::span<const Var> p) {
  const Data& d = data();
  Var nll = 0.0;
  for (std::size_t i = 0; i < Data::kRows; ++i) {
    Var z = p[Data::kFeatures];
    for (std::size_t j = 0; j < Data::kFeatures; ++j) z += d.x[i * Data::kFeatures + j] * p[j];
    nll += softplus(z) - d.y[i] * z;  // -[y log s(z) + (1-y) log s(-z)] = softplus(z) - y z
  }
  return nll;
}

/// Newton's method with the hand-derived gradient X^T (y - s) and Hessian -X^T S (1-S) X,
/// solved by Gaussian elimination; an independent reference for the maximum.
std::vector<double> newton_reference() {
  const Data& d = data();
  constexpr std::size_t p = Data::kFeatures + 1;
  std::vector<double> w(p, 0.0);
  for (int iteration = 0; iteration < 50; ++iteration) {
    double grad[p] = {};
    double hess[p][p] = {};
    for (std::size_t i = 0; i < Data::kRows; ++i) {
      double row[p];
      for (std::size_t j = 0; j < Data::kFeatures; ++j) row[j] = d.x[i * Data::kFeatures + j];
      row[Data::kFeatures] = 1.0;
      double z = 0.0;
      for (std::size_t j = 0; j < p; ++j) z += row[j] * w[j];
      const double s = 1.0 / (1.0 + std::exp(-z));
      for (std::size_t j = 0; j < p; ++j) {
        grad[j] += (d.y[i] - s) * row[j];
        for (std::size_t k = 0; k < p; ++k) hess[j][k] += s * (1.0 - s) * row[j] * row[k];  // = -Hessian
      }
    }
    // Solve (-H) delta = grad, then w += delta.
    double a[p][p + 1];
    for (std::size_t j = 0; j < p; ++j) {
      for (std::size_t k = 0; k < p; ++k) a[j][k] = hess[j][k];
      a[j][p] = grad[j];
    }
    for (std::size_t c = 0; c < p; ++c) {
      std::size_t pivot = c;
      for (std::size_t r = c + 1; r < p; ++r)
        if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
      for (std::size_t k = 0; k <= p; ++k) std::swap(a[c][k], a[pivot][k]);
      for (std::size_t r = 0; r < p; ++r) {
        if (r == c) continue;
        const double factor = a[r][c] / a[c][c];
        for (std::size_t k = c; k <= p; ++k) a[r][k] -= factor * a[c][k];
      }
    }
    double step = 0.0;
    for (std::size_t j = 0; j < p; ++j) {
      w[j] += a[j][p] / a[j][j];
      step = std::max(step, std::fabs(a[j][p] / a[j][j]));
    }
    if (step < 1e-14) break;
  }
  return w;
}

bool agree(const std::vector<double>& a, const std::vector<double>& b, double tolerance) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::fabs(a[i] - b[i]) > tolerance) return false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(logistic)

BOOST_AUTO_TEST_CASE(ascent_on_log_likelihood_equals_descent_on_negative_log_likelihood) {
  const std::vector<double> start(Data::kFeatures + 1, 0.0);
  const slope::StopOptions tight{.gradient_tolerance = 1e-9};
  const slope::Result ascent = slope::maximize(log_likelihood, start, slope::Lbfgs{}, tight);
  const slope::Result descent = slope::minimize(negative_log_likelihood, start, slope::Lbfgs{}, tight);
  BOOST_TEST(ascent.converged());
  BOOST_TEST(descent.converged());
  BOOST_TEST((ascent.sense == slope::Sense::Maximize));
  BOOST_TEST(agree(ascent.x, descent.x, 1e-8));
  // Values are reported in each run's own sense: the maximum of ll is minus the minimum of nll.
  BOOST_TEST(ascent.value < 0.0);
  BOOST_TEST(std::fabs(ascent.value + descent.value) <= 1e-9 * std::fabs(ascent.value));

  const std::vector<double> newton = newton_reference();
  BOOST_TEST_MESSAGE("Newton: " << newton[0] << " " << newton[1] << " " << newton[2] << " " << newton[3]);
  BOOST_TEST(agree(ascent.x, newton, 1e-8));
  BOOST_TEST(agree(descent.x, newton, 1e-8));
}

BOOST_AUTO_TEST_CASE(gradient_ascent_with_backtracking_reaches_the_same_weights) {
  const std::vector<double> start(Data::kFeatures + 1, 0.0);
  const slope::StopOptions options{.max_iterations = 20000, .max_evaluations = 200000, .gradient_tolerance = 1e-9};
  const slope::Result ascent = slope::maximize(log_likelihood, start, slope::GradientDescent{}, options);
  const slope::Result descent = slope::minimize(negative_log_likelihood, start, slope::GradientDescent{}, options);
  BOOST_TEST(ascent.converged());
  BOOST_TEST(descent.converged());
  BOOST_TEST(agree(ascent.x, newton_reference(), 1e-8));
  BOOST_TEST(agree(descent.x, newton_reference(), 1e-8));
}

BOOST_AUTO_TEST_CASE(maximize_f_is_exactly_minimize_minus_f) {
  // Same code, same iterates: the two runs agree to the last bit, with every method.
  const std::vector<double> start(Data::kFeatures + 1, 0.1);
  const auto minus_ll = [](std::span<const Var> p) { return -log_likelihood(p); };
  const slope::StopOptions options{.max_iterations = 300};
  const auto same = [](const slope::Result& up, const slope::Result& down) {
    return up.x == down.x && up.value == -down.value && up.iterations == down.iterations &&
           up.evaluations == down.evaluations && up.status == down.status;
  };
  BOOST_TEST(same(slope::maximize(log_likelihood, start, slope::Lbfgs{}, options),
                  slope::minimize(minus_ll, start, slope::Lbfgs{}, options)));
  BOOST_TEST(same(slope::maximize(log_likelihood, start, slope::GradientDescent{}, options),
                  slope::minimize(minus_ll, start, slope::GradientDescent{}, options)));
  BOOST_TEST(same(slope::maximize(log_likelihood, start, slope::Adam{.step_size = 0.05}, options),
                  slope::minimize(minus_ll, start, slope::Adam{.step_size = 0.05}, options)));
  BOOST_TEST(same(slope::maximize(log_likelihood, start, slope::Momentum{.step_size = 1e-3, .nesterov = true}, options),
                  slope::minimize(minus_ll, start, slope::Momentum{.step_size = 1e-3, .nesterov = true}, options)));
}

BOOST_AUTO_TEST_SUITE_END()
