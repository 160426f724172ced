// Bounds on params: `param sigma > 0`, `param p in [0, 1]`, `param w[d] >= 0`. The bounds
// reach slope::optimize (a non-negative least-squares fit has exact zeros), strict bounds keep
// their value out, and every mistake is an error at its place.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <slope/optim.hpp>

#include "lang/support.hpp"

using slope::lang::Matrix;
using slope::lang::Model;
using slope::lang::test::check_error;
using slope::lang::test::syntax_error;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

BOOST_AUTO_TEST_SUITE(param_bounds)

BOOST_AUTO_TEST_CASE(each_form_gives_its_bounds_per_value_in_theta_order) {
  Model model = Model::parse(
      "const top = 2\nparam a = 0\nparam sigma > 0 = 1\nparam p in [0, 1] = 0.5\nparam w[3] >= -1 = 0\n"
      "param u <= top = 1\nparam q < 1 = 0\nminimize a^2 + sigma + p + sum(w) + u + q",
      "m.slope");
  const slope::Bounds b = model.bounds();
  const std::vector<double> lower{-kInf, std::nextafter(0.0, 1.0), 0, -1, -1, -1, -kInf, -kInf};
  const std::vector<double> upper{kInf, kInf, 1, kInf, kInf, kInf, 2, std::nextafter(1.0, 0.0)};
  BOOST_TEST(b.lower == lower, boost::test_tools::per_element());
  BOOST_TEST(b.upper == upper, boost::test_tools::per_element());
  const Model free = Model::parse("param a = 0\nminimize a^2", "m.slope");
  BOOST_TEST(free.bounds().lower.empty());
  BOOST_TEST(free.bounds().upper.empty());
}

BOOST_AUTO_TEST_CASE(non_negative_least_squares_has_exact_zeros) {
  // y = X w with w = (1, 0, 2) plus a pull below zero on the second weight: its fit is 0, exactly.
  const std::size_t n = 30;
  std::vector<double> X(n * 3), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < 3; ++j) X[i * 3 + j] = std::cos(0.7 * static_cast<double>(i * 3 + j)) + (j == 1 ? 1.0 : 0.0);
    y[i] = X[i * 3] + 2.0 * X[i * 3 + 2] - 0.5 * X[i * 3 + 1];
  }
  Model model = Model::parse("data X[n, d]\ndata y[n]\nparam w[d] >= 0 = 1\nminimize sum((X * w - y) .^ 2)", "m.slope");
  model.bind_data("X", Matrix::from_row_major(X, n, 3));
  model.bind_data("y", Matrix::from_vector(y));
  const slope::Result r =
      slope::optimize(model.objective(), model.initial_point(), model.sense(), model.bounds(), slope::Lbfgs{});
  BOOST_TEST(r.converged());
  BOOST_TEST(r.x[1] == 0.0);
  BOOST_TEST((r.active_bounds[1] == slope::BoundState::AtLower));
  BOOST_TEST(r.x[0] > 0.5);
  BOOST_TEST(r.x[2] > 1.5);
}

BOOST_AUTO_TEST_CASE(a_strict_bound_is_never_reached) {
  // The unconstrained minimum of (s + 1)^2 is at -1: with s > 0 the fit stops just above 0.
  Model model = Model::parse("param s > 0 = 1\nminimize (s + 1)^2", "m.slope");
  const slope::Result r =
      slope::optimize(model.objective(), model.initial_point(), model.sense(), model.bounds(), slope::Lbfgs{});
  BOOST_TEST(r.x[0] > 0.0);
  BOOST_TEST(r.x[0] == std::nextafter(0.0, 1.0));
}

BOOST_AUTO_TEST_CASE(mistakes_are_errors_at_their_place) {
  BOOST_TEST(check_error("param s > 0 = 0\nminimize s^2") ==
             "model.slope:1:15: error: the initial value of param 's' is 0, outside its bounds (0, inf)");
  BOOST_TEST(check_error("param w[3] >= 0 = [1, -2, 3]\nminimize sum(w)") ==
             "model.slope:1:19: error: element 2 of the initial value of param 'w' is -2, outside its bounds [0, inf)");
  BOOST_TEST(check_error("param p in [0, 1] = 1.5\nminimize p") ==
             "model.slope:1:21: error: the initial value of param 'p' is 1.5, outside its bounds [0, 1]");
  BOOST_TEST(check_error("param s in [2, 1] = 1\nminimize s") ==
             "model.slope:1:13: error: param 's' has no admissible value: its bounds [2, 1] are empty");
  BOOST_TEST(syntax_error("param s in [1, 2) = 1\nminimize s") ==
             "model.slope:1:17: error: expected ']' after the upper bound, found ')'");  // closed only
  BOOST_TEST(check_error("param s in [1, 1] = 1\nminimize s") == "");  // fixed: allowed
  BOOST_TEST(check_error("param s <= -1/0 = 0\nminimize s") ==
             "model.slope:1:12: error: param 's' has no admissible value: its bounds (-inf, -inf) are empty");
  BOOST_TEST(check_error("param w[2] = 0\nparam s >= w[1] = 0\nminimize s") ==
             "model.slope:2:12: error: the lower bound of param 's' cannot depend on param 'w': it is fixed before "
             "optimization");
  BOOST_TEST(check_error("param s >= [0, 1] = 0\nminimize s") ==
             "model.slope:1:12: error: the lower bound of param 's' has shape [2], expected a scalar (it bounds "
             "every element)");
  BOOST_TEST(syntax_error("param s in [0 1] = 0\nminimize s") ==
             "model.slope:1:15: error: expected ',' between the lower and the upper bound, found '1'");
  BOOST_TEST(syntax_error("param s in 0, 1 = 0\nminimize s").find("expected '[' and the bounds of param 's'") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
