// Every rule of the one list of operations (BuiltinRules, ops/list.hpp), one test case each,
// generated from the list: a rule added there is tested here with no code of its own.
// At points of a grid inside the rule's domain:
//  - live: the Var value equals the double value bit for bit, and the tape's gradient matches
//    central finite differences;
//  - replayed: a slope::Function recorded at another point, evaluated here, gives the same value
//    bit for bit and the same gradient;
//  - second order: its Hessian-vector products match central differences of the replayed
//    gradient.
// The family test files (exp_log_test.cpp...) check the hand-derived partials of each rule.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>
#include <slope/autodiff/ops/all.hpp>

#include <array>
#include <cmath>
#include <cstring>
#include <tuple>
#include <vector>

#include "support/finite_difference.hpp"

namespace rule_list_test {

using slope::Function;
using slope::ReplayStatus;
using slope::Var;
using slope::test::close;
using slope::test::Tolerance;

template <class... Rules>
std::tuple<Rules...> as_tuple(slope::RuleList<Rules...>);
using AllRules = decltype(as_tuple(slope::BuiltinRules{}));

// Away from the kinks and poles of every rule (0, the integers, +-1).
constexpr std::array<double, 10> kGrid = {-3.7, -2.2, -1.3, -0.6, -0.15, 0.35, 0.8, 1.7, 2.9, 4.4};
constexpr Tolerance kDifferences{1e-6, 1e-8};
constexpr Tolerance kReplayed{1e-13, 1e-15};
constexpr Tolerance kSecondOrder{1e-5, 1e-7};

template <class R, class T>
T apply(std::span<const T> x) {
  constexpr int arity = slope::arity_of<R>();
  if constexpr (std::is_same_v<T, double>) {
    if constexpr (arity == 1) return R::value(x[0]);
    if constexpr (arity == 2) return R::value(x[0], x[1]);
    if constexpr (arity == 3) return R::value(x[0], x[1], x[2]);
  } else {
    if constexpr (arity == 1) return slope::record_unary<R>(x[0]);
    if constexpr (arity == 2) return slope::record_binary<R>(x[0], x[1]);
    if constexpr (arity == 3) return slope::record_ternary<R>(x[0], x[1], x[2]);
  }
}

template <class R>
bool in_domain(std::span<const double> x) {
  constexpr int arity = slope::arity_of<R>();
  if constexpr (requires { R::in_domain(x[0]); }) {
    if constexpr (arity == 1) return R::in_domain(x[0]);
  }
  if constexpr (requires { R::in_domain(x[0], x[1]); }) {
    if constexpr (arity == 2) return R::in_domain(x[0], x[1]);
  }
  return true;
}

/// Points of the grid (pairs and triples of different entries) inside R's domain.
template <class R>
std::vector<std::vector<double>> points() {
  constexpr int arity = slope::arity_of<R>();
  std::vector<std::vector<double>> out;
  for (std::size_t i = 0; i < kGrid.size(); ++i) {
    std::vector<double> p{kGrid[i]};
    if (arity >= 2) p.push_back(kGrid[(i * 3 + 1) % kGrid.size()]);
    if (arity >= 3) p.push_back(kGrid[(i * 7 + 4) % kGrid.size()]);
    if (in_domain<R>(p) && std::isfinite(apply<R, double>(std::span<const double>(p)))) out.push_back(p);
  }
  return out;
}

/// H v by central differences of the replayed gradient along v.
std::vector<double> hessian_vector_by_differences(const Function& f, const std::vector<double>& x,
                                                  const std::vector<double>& v) {
  double scale = 1.0;
  for (const double xi : x) scale = std::max(scale, std::fabs(xi));
  const double h = slope::test::central_step(scale);
  std::vector<double> up(x.size()), down(x.size()), gu(x.size()), gd(x.size()), out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    up[i] = x[i] + h * v[i];
    down[i] = x[i] - h * v[i];
  }
  static_cast<void>(f.gradient(up, gu));
  static_cast<void>(f.gradient(down, gd));
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = (gu[i] - gd[i]) / (2.0 * h);
  return out;
}

/// A rule's value_and_partial (JointUnaryRule) against value and partial, bit for bit, on the
/// grid and at the edges: zeros of both signs, the smallest and largest numbers, infinities, NaN.
template <class R>
void check_joint_form() {
  if constexpr (slope::JointUnaryRule<R>) {
    std::vector<double> xs(kGrid.begin(), kGrid.end());
    for (const double x : {0.0, -0.0, 1e-300, -1e-300, 5e-324, -5e-324, 1e-8, -1e-8, 30.0, -30.0, 700.0, -700.0,
                           800.0, -800.0, 1e308, -1e308, HUGE_VAL, -HUGE_VAL, std::nan("")}) {
      xs.push_back(x);
    }
    for (const double x : xs) {
      const slope::ValueAndPartial both = R::value_and_partial(x);
      const double y = R::value(x);
      const double d = R::partial(x, y);
      const auto same = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
      BOOST_TEST(same(both.value, y), R::name << " at " << x << ": value " << both.value << " vs " << y);
      BOOST_TEST(same(both.partial, d), R::name << " at " << x << ": partial " << both.partial << " vs " << d);
    }
  }
}

template <class R>
void check_rule() {
  check_joint_form<R>();
  const auto grid = points<R>();
  BOOST_REQUIRE_MESSAGE(grid.size() >= 3, R::name << ": fewer than 3 grid points in its domain");
  const auto f = [](std::span<const Var> x) { return apply<R, Var>(x); };
  // Recorded once, at the first point: every other point is a replay of that recording.
  const Function replayed = Function::record(f, grid.front());
  for (const std::vector<double>& x : grid) {
    BOOST_TEST_CONTEXT(R::name << " at (" << fmt::format("{}", fmt::join(x, ", ")) << ")") {
      const double plain = apply<R, double>(std::span<const double>(x));
      const auto [value, grad] = slope::value_and_gradient(f, x);
      BOOST_TEST(value == plain, "live value " << value << " vs double " << plain);
      const std::vector<double> fd =
          slope::test::central_gradient([](std::span<const double> p) { return apply<R, double>(p); }, x);
      for (std::size_t i = 0; i < x.size(); ++i) {
        BOOST_TEST(close(grad[i], fd[i], kDifferences), "d/dx" << i << ": tape " << grad[i] << " vs fd " << fd[i]);
      }

      std::vector<double> replay_grad(x.size());
      const slope::Evaluation e = replayed.value_and_gradient(x, replay_grad);
      BOOST_TEST((e.status == ReplayStatus::Ok));
      BOOST_TEST(e.value == plain, "replayed value " << e.value << " vs double " << plain);
      for (std::size_t i = 0; i < x.size(); ++i) {
        BOOST_TEST(close(replay_grad[i], grad[i], kReplayed),
                   "d/dx" << i << ": replayed " << replay_grad[i] << " vs live " << grad[i]);
      }

      std::vector<double> v(x.size()), hv(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) v[i] = 0.5 + 0.25 * static_cast<double>(i);
      BOOST_TEST((replayed.hessian_vector_product(x, v, hv) == ReplayStatus::Ok));
      const std::vector<double> hv_fd = hessian_vector_by_differences(replayed, x, v);
      for (std::size_t i = 0; i < x.size(); ++i) {
        BOOST_TEST(close(hv[i], hv_fd[i], kSecondOrder), "(H v)_" << i << ": " << hv[i] << " vs fd " << hv_fd[i]);
      }
    }
  }
}

/// The variadic form (one instruction over any number of operands), checked the same way.
template <class R>
void check_variadic() {
  const std::vector<double> x0{0.3, -1.2, 2.5, 0.7, -0.4};
  const auto plain = [](std::span<const double> p) { return R::value(p); };
  const auto f = [](std::span<const Var> x) { return slope::record_variadic<R>(x); };
  const Function replayed = Function::record(f, x0);
  for (const double shift : {0.0, 1.5, -20.0}) {
    std::vector<double> x = x0;
    for (double& xi : x) xi = xi * 1.3 + shift;
    BOOST_TEST_CONTEXT(R::name << " (variadic) shifted by " << shift) {
      const auto [value, grad] = slope::value_and_gradient(f, x);
      BOOST_TEST(value == plain(x));
      const std::vector<double> fd = slope::test::central_gradient(plain, x);
      std::vector<double> replay_grad(x.size()), v(x.size(), 1.0), hv(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) v[i] = 1.0 - 0.3 * static_cast<double>(i);
      const slope::Evaluation e = replayed.value_and_gradient(x, replay_grad);
      BOOST_TEST((e.status == ReplayStatus::Ok));
      BOOST_TEST(e.value == value);
      BOOST_TEST((replayed.hessian_vector_product(x, v, hv) == ReplayStatus::Ok));
      const std::vector<double> hv_fd = hessian_vector_by_differences(replayed, x, v);
      for (std::size_t i = 0; i < x.size(); ++i) {
        BOOST_TEST(close(grad[i], fd[i], kDifferences), "d/dx" << i << ": " << grad[i] << " vs fd " << fd[i]);
        BOOST_TEST(close(replay_grad[i], grad[i], kReplayed));
        BOOST_TEST(close(hv[i], hv_fd[i], kSecondOrder), "(H v)_" << i << ": " << hv[i] << " vs fd " << hv_fd[i]);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE(rule_list)

BOOST_AUTO_TEST_CASE_TEMPLATE(rule_matches_differences_live_replayed_and_second_order, R, AllRules) {
  check_rule<R>();
  if constexpr (slope::VariadicRule<R>) check_variadic<R>();
}

BOOST_AUTO_TEST_CASE_TEMPLATE(rule_has_its_generated_code_and_name, R, AllRules) {
  const slope::OpCode code = slope::op_code<R>;
  BOOST_TEST(slope::is_rule(code));
  BOOST_TEST(slope::op_name(code) == R::name);
  BOOST_TEST(slope::rule_arity(code) == slope::arity_of<R>());
}

struct UserRule {
  static constexpr std::string_view name = "user";
  static double value(double x) noexcept { return x; }
  static double partial(double, double) noexcept { return 1.0; }
};

BOOST_AUTO_TEST_CASE(codes_are_distinct_and_user_rules_are_custom) {
  BOOST_TEST((slope::op_code<UserRule> == slope::OpCode::Custom));
  std::vector<int> seen(slope::kOpCodes, 0);
  slope::for_each_rule(slope::BuiltinRules{}, [&]<class R>() { ++seen[static_cast<std::size_t>(slope::op_code<R>)]; });
  for (std::size_t c = static_cast<std::size_t>(slope::OpCode::FirstRule_); c < slope::kOpCodes; ++c) {
    BOOST_TEST(seen[c] == 1, "code " << c);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace rule_list_test
