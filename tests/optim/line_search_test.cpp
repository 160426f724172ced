// The approximate Wolfe test of both line searches (Hager & Zhang), both ways: a step after
// which f rose by no more than its rounding noise, while the slope shows progress, is accepted
// with the default noise and refused with noise = 0; and a run whose objective is noisy
// converges to a tight tolerance only with it. The searches are driven directly through the
// optimizer's internal header (optim/src/line_search.hpp).
#include <boost/test/unit_test.hpp>

#include <slope/optim.hpp>

#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "line_search.hpp"
#include "run.hpp"

using slope::Result;
using slope::detail::LineFunction;
using slope::detail::LineSearchResult;

namespace {

/// A value that stays 1e-12 above phi(0) = 1 everywhere (rounding noise, as the line search
/// sees it), with the gradient of (x - 1)^2: every step towards 1 is progress that f cannot show.
double flat_value(std::span<const double> x, std::span<double> g) {
  g[0] = 2.0 * (x[0] - 1.0);
  return 1.0 + 1e-12;
}

/// Runs `params` from x = 0 along d = +1 (phi(0) = 1, phi'(0) = -2) from the step `first`.
template <class Params>
LineSearchResult search_flat(const Params& params, double first) {
  const slope::StopOptions options;
  const std::vector<double> x{0.0}, d{1.0};
  std::vector<double> trial_x(1), trial_g(1);
  auto* objective = &flat_value;  // ObjectiveRef refers to an object
  slope::detail::Run run(slope::ObjectiveRef(objective), slope::Sense::Minimize, options, x);
  LineFunction phi(run, x, d, trial_x, trial_g);
  return slope::detail::search(params, phi, 1.0, -2.0, first);
}

/// A pseudo-random number in [-1, 1) from the bits of x (splitmix64), standing in for the
/// rounding error of a long computation of f.
double noise_of(std::span<const double> x) {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (const double v : x) {
    h ^= std::bit_cast<std::uint64_t>(v);
    h += 0x9e3779b97f4a7c15ULL;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    h ^= h >> 31;
  }
  return static_cast<double>(h >> 11) * 0x1.0p-53 * 2.0 - 1.0;
}

/// 1 + sum_i (i + 1) (x_i - 1)^2 computed with an error of 1e-11 (relative noise below the
/// default 1e-10), and its exact gradient.
double noisy_quadratic(std::span<const double> x, std::span<double> g) {
  double f = 1.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double c = 1.0 + static_cast<double>(i);
    f += c * (x[i] - 1.0) * (x[i] - 1.0);
    g[i] = 2.0 * c * (x[i] - 1.0);
  }
  return f + 1e-11 * noise_of(x);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(approximate_wolfe)

BOOST_AUTO_TEST_CASE(backtracking_accepts_a_step_within_the_noise_when_the_slope_shows_progress) {
  const LineSearchResult found = search_flat(slope::Backtracking{}, 0.5);
  BOOST_TEST((found.outcome == LineSearchResult::Accepted));
  BOOST_TEST(found.step == 0.5);  // slope -1: between c2 phi'(0) = -1.8 and -(2 * 0.1 - 1) phi'(0) = 1.6
}

BOOST_AUTO_TEST_CASE(backtracking_still_refuses_a_step_whose_slope_overshot) {
  // From t = 3 the slope is +4 > 1.6: the step went far past the minimum, so it is halved.
  const LineSearchResult found = search_flat(slope::Backtracking{}, 3.0);
  BOOST_TEST((found.outcome == LineSearchResult::Accepted));
  BOOST_TEST(found.step == 1.5);
}

BOOST_AUTO_TEST_CASE(backtracking_without_noise_refuses_every_step_that_raised_f) {
  const LineSearchResult found = search_flat(slope::Backtracking{.noise = 0.0}, 0.5);
  BOOST_TEST((found.outcome == LineSearchResult::Failed));
  BOOST_TEST(found.why.find("no sufficient decrease") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(more_thuente_accepts_a_step_within_the_noise_when_the_slope_shows_progress) {
  const LineSearchResult found = search_flat(slope::MoreThuente{}, 0.5);
  BOOST_TEST((found.outcome == LineSearchResult::Accepted));
  BOOST_TEST(found.step == 0.5);
}

BOOST_AUTO_TEST_CASE(more_thuente_without_noise_refuses_every_step_that_raised_f) {
  const LineSearchResult found = search_flat(slope::MoreThuente{.noise = 0.0}, 0.5);
  BOOST_TEST((found.outcome == LineSearchResult::Failed));
}

BOOST_AUTO_TEST_CASE(lbfgs_on_a_noisy_objective_converges_only_with_the_approximate_test) {
  // Near the minimum the decrease of a step (~|g|^2) falls below the 1e-11 noise long before
  // |g| <= 1e-10: only the slope can then tell progress.
  const std::vector<double> x0{3.0, -2.0, 0.5, 7.0};
  const slope::StopOptions tight{.gradient_tolerance = 1e-10};
  const Result with = slope::minimize(noisy_quadratic, x0, slope::Lbfgs{}, tight);
  BOOST_TEST(with.converged(), with.message);
  BOOST_TEST(with.gradient_norm <= 1e-10);
  const Result without = slope::minimize(noisy_quadratic, x0, slope::Lbfgs{.line_search = {.noise = 0.0}}, tight);
  BOOST_TEST((without.status == slope::Status::LineSearchFailed), without.message);
  BOOST_TEST(without.gradient_norm > 1e-10);
}

BOOST_AUTO_TEST_SUITE_END()
