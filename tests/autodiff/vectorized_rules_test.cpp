// The rules that run vectorized (VectorizedRule, recording.hpp) and the written-out functions
// they are made of (math::exp_nonpositive, math::log1p_unit, math.hpp):
//  - both functions within one ulp of a long double reference over their whole domain, and
//    exact at its edges (zeros, subnormal results, underflow, infinities, NaN);
//  - values_and_partials<R> gives, for every length (the vector loop's tails included), the
//    bits of R::value_and_partial one element at a time, which rule_list_test ties to value
//    and partial.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff/ops/all.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <tuple>
#include <vector>

namespace vectorized_rules_test {

using slope::math::exp_nonpositive;
using slope::math::log1p_unit;

static_assert(slope::VectorizedRule<slope::Sigmoid> && slope::VectorizedRule<slope::LogSigmoid> &&
              slope::VectorizedRule<slope::Softplus>);
static_assert(!slope::VectorizedRule<slope::Exp>, "a rule calling std::exp must not claim to vectorize");

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMinSubnormal = std::numeric_limits<double>::denorm_min();

bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// |got - exact| in units in the last place of the exact value rounded to double.
double ulps(double got, long double exact) {
  const auto rounded = static_cast<double>(exact);
  double ulp = std::nextafter(std::fabs(rounded), kInf) - std::fabs(rounded);
  if (ulp == 0.0 || rounded == 0.0) ulp = kMinSubnormal;
  return static_cast<double>(std::fabs(static_cast<long double>(got) - exact) / ulp);
}

/// f within one ulp of `exact` at every x.
template <class F, class Exact>
void check_within_one_ulp(const std::vector<double>& xs, F f, Exact exact) {
  double worst = 0.0;
  double at = 0.0;
  for (const double x : xs) {
    const double err = ulps(f(x), exact(x));
    if (err > worst) {
      worst = err;
      at = x;
    }
  }
  BOOST_TEST(worst < 1.0, "worst error " << worst << " ulp at " << at);
}

BOOST_AUTO_TEST_SUITE(vectorized_rules)

BOOST_AUTO_TEST_CASE(exp_nonpositive_is_within_one_ulp) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> unit(-1.0, 0.0);
  std::uniform_real_distribution<double> wide(-750.0, 0.0);
  std::vector<double> xs;
  for (int i = 0; i < 200000; ++i) xs.push_back(unit(random));
  for (int i = 0; i < 200000; ++i) xs.push_back(wide(random));
  for (int i = 0; i < 20000; ++i) xs.push_back(-std::exp(wide(random)));  // tiny arguments
  // At and around the halfway points of the reduction, the normal/subnormal boundary and underflow.
  for (const double x : {-0.34657359027997264, -0.34657359027997270, -708.39641853226408, -708.4, -709.0,
                         -744.44007192138122, -745.13321910194110, -745.13321910194122, -1e-300, -kMinSubnormal}) {
    xs.push_back(x);
  }
  check_within_one_ulp(xs, [](double x) { return exp_nonpositive(x); },
                       [](double x) { return std::exp(static_cast<long double>(x)); });
}

BOOST_AUTO_TEST_CASE(exp_nonpositive_edges) {
  BOOST_TEST(same(exp_nonpositive(0.0), 1.0));
  BOOST_TEST(same(exp_nonpositive(-0.0), 1.0));
  BOOST_TEST(same(exp_nonpositive(-kInf), 0.0));
  BOOST_TEST(same(exp_nonpositive(-746.0), 0.0));
  BOOST_TEST(same(exp_nonpositive(-1e308), 0.0));
  BOOST_TEST(same(exp_nonpositive(-745.0), std::exp(-745.0)));  // a subnormal result
  BOOST_TEST(exp_nonpositive(-745.0) > 0.0);
  BOOST_TEST(std::isnan(exp_nonpositive(std::nan(""))));
  BOOST_TEST(same(exp_nonpositive(-1.0), std::exp(-1.0)));
  // The tangent of the Dual form is the value times the direction.
  const slope::Dual e = exp_nonpositive(slope::Dual(-2.5, 3.0));
  BOOST_TEST(same(e.v, exp_nonpositive(-2.5)));
  BOOST_TEST(same(e.d, exp_nonpositive(-2.5) * 3.0));
}

BOOST_AUTO_TEST_CASE(log1p_unit_is_within_one_ulp) {
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_real_distribution<double> exponent(-745.0, 0.0);
  std::vector<double> us;
  for (int i = 0; i < 300000; ++i) us.push_back(unit(random));
  for (int i = 0; i < 100000; ++i) us.push_back(std::exp(exponent(random)));  // every scale down to subnormals
  // Around the switch at 1 + u = sqrt(2), and where 1 + u rounds.
  for (const double u : {0.41421356237309503, 0.4142135623730951, 0.41421356237309515, 1.1102230246251565e-16,
                         2.220446049250313e-16, 1e-17, 1.0, std::nextafter(1.0, 0.0)}) {
    us.push_back(u);
  }
  check_within_one_ulp(us, [](double u) { return log1p_unit(u); },
                       [](double u) { return std::log1p(static_cast<long double>(u)); });
}

BOOST_AUTO_TEST_CASE(log1p_unit_edges) {
  BOOST_TEST(same(log1p_unit(0.0), 0.0));
  BOOST_TEST(same(log1p_unit(kMinSubnormal), kMinSubnormal));  // ln(1 + u) = u to the last bit
  BOOST_TEST(same(log1p_unit(1e-300), 1e-300));
  BOOST_TEST(same(log1p_unit(1.0), std::log(2.0)));
  BOOST_TEST(std::isnan(log1p_unit(std::nan(""))));
}

/// Arguments for the rules: a spread of values, the edges, and lengths with every tail.
std::vector<double> rule_arguments() {
  std::vector<double> xs = {0.0,   -0.0,   1e-300, -1e-300, 5e-324, -5e-324, 1e-8,  -1e-8, 30.0,  -30.0,
                            700.0, -700.0, 800.0,  -800.0,  1e308,  -1e308,  kInf,  -kInf, 36.7,  -36.7};
  xs.push_back(std::nan(""));
  xs.push_back(-std::nan(""));
  std::mt19937_64 random(3);
  std::uniform_real_distribution<double> spread(-40.0, 40.0);
  for (int i = 0; i < 2000; ++i) xs.push_back(spread(random));
  return xs;
}

template <class R>
void check_vectorized() {
  if constexpr (slope::VectorizedRule<R>) {
    const std::vector<double> xs = rule_arguments();
    // Every length up to 9 from every start among the first few (the loop's tails, unaligned
    // data), then the whole array.
    for (std::size_t start = 0; start < 4; ++start) {
      for (std::size_t n = 0; n <= 9; ++n) {
        std::vector<double> y(n, -1.0), d(n, -1.0);
        slope::values_and_partials<R>(xs.data() + start, y.data(), d.data(), n);
        for (std::size_t i = 0; i < n; ++i) {
          const slope::ValueAndPartial one = R::value_and_partial(xs[start + i]);
          BOOST_TEST(same(y[i], one.value), R::name << " value at " << xs[start + i]);
          BOOST_TEST(same(d[i], one.partial), R::name << " partial at " << xs[start + i]);
        }
      }
    }
    std::vector<double> y(xs.size()), d(xs.size());
    slope::values_and_partials<R>(xs.data(), y.data(), d.data(), xs.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const slope::ValueAndPartial one = R::value_and_partial(xs[i]);
      differ += same(y[i], one.value) && same(d[i], one.partial) ? 0 : 1;
    }
    BOOST_TEST(differ == 0u, R::name << ": " << differ << " of " << xs.size() << " differ from one at a time");
  }
}

template <class... Rules>
std::tuple<Rules...> as_tuple(slope::RuleList<Rules...>);
using AllRules = decltype(as_tuple(slope::BuiltinRules{}));

BOOST_AUTO_TEST_CASE_TEMPLATE(a_vectorized_loop_gives_the_bits_of_one_element_at_a_time, R, AllRules) {
  check_vectorized<R>();
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace vectorized_rules_test
