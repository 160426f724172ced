// The pieces of the bounded L-BFGS against dense oracles (through optim/src's internal headers):
// the compact form theta I - W M W^T equals the matrix of the BFGS updates from theta I, also
// after the oldest pairs are dropped; the direction far from every bound is the quasi-Newton
// step -B^-1 g; the projected gradient and the steps of the box.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <vector>

#include "box.hpp"
#include "compact_bfgs.hpp"
#include "lbfgsb_direction.hpp"

using slope::Bounds;
using slope::detail::Box;
using slope::detail::CompactBfgs;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::size_t kN = 6;

using Matrix = std::vector<double>;  // kN x kN, row-major

std::vector<double> times(const Matrix& a, std::span<const double> v) {
  std::vector<double> out(kN, 0.0);
  for (std::size_t i = 0; i < kN; ++i) {
    for (std::size_t j = 0; j < kN; ++j) out[i] += a[i * kN + j] * v[j];
  }
  return out;
}

double dot(std::span<const double> a, std::span<const double> b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

/// Pairs (s, y = H s) of a fixed positive definite H, so that every s.y > 0.
struct Pairs {
  std::vector<std::vector<double>> s, y;
};

Pairs make_pairs(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53 * 2.0 - 1.0; };
  Matrix h(kN * kN, 0.0);
  Matrix r(kN * kN);
  for (double& v : r) v = uniform();
  for (std::size_t i = 0; i < kN; ++i) {  // H = R R^T + I
    h[i * kN + i] = 1.0;
    for (std::size_t j = 0; j < kN; ++j) {
      for (std::size_t k = 0; k < kN; ++k) h[i * kN + j] += r[i * kN + k] * r[j * kN + k];
    }
  }
  Pairs p;
  for (std::size_t k = 0; k < count; ++k) {
    std::vector<double> s(kN);
    for (double& v : s) v = uniform();
    p.y.push_back(times(h, s));
    p.s.push_back(std::move(s));
  }
  return p;
}

/// The BFGS matrix from B0 = theta I (theta = y.y / s.y of the newest pair) after the updates
/// B <- B - B s s^T B / (s.B s) + y y^T / (y.s) with pairs first..end, in order.
Matrix dense_bfgs(const Pairs& p, std::size_t first) {
  const std::vector<double>& s_new = p.s.back();
  const std::vector<double>& y_new = p.y.back();
  const double theta = dot(y_new, y_new) / dot(s_new, y_new);
  Matrix b(kN * kN, 0.0);
  for (std::size_t i = 0; i < kN; ++i) b[i * kN + i] = theta;
  for (std::size_t k = first; k < p.s.size(); ++k) {
    const std::vector<double> bs = times(b, p.s[k]);
    const double sbs = dot(p.s[k], bs);
    const double ys = dot(p.y[k], p.s[k]);
    for (std::size_t i = 0; i < kN; ++i) {
      for (std::size_t j = 0; j < kN; ++j) b[i * kN + j] += -bs[i] * bs[j] / sbs + p.y[k][i] * p.y[k][j] / ys;
    }
  }
  return b;
}

/// B v from the compact form: theta v - W M W^T v.
std::vector<double> compact_times(const CompactBfgs& bfgs, std::span<const double> v) {
  const std::size_t w = 2 * bfgs.size();
  std::vector<double> wtv(w), mwtv(w), row(w), out(kN);
  bfgs.transpose_times(v, wtv);
  bfgs.middle_times(wtv, mwtv);
  for (std::size_t i = 0; i < kN; ++i) {
    bfgs.row(i, row);
    out[i] = bfgs.theta() * v[i] - dot(row, mwtv);
  }
  return out;
}

/// Pushes pair k as a step from the origin: s = x_new - 0, y = g_new - 0.
void push(CompactBfgs& bfgs, const Pairs& p, std::size_t k) {
  const std::vector<double> zero(kN, 0.0);
  bfgs.push(p.s[k], zero, p.y[k], zero);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lbfgsb_internals)

BOOST_AUTO_TEST_CASE(the_compact_form_is_the_bfgs_matrix_also_after_dropping_pairs) {
  const Pairs pairs = make_pairs(5, 11);
  CompactBfgs bfgs(3, kN);
  for (std::size_t k = 0; k < 5; ++k) {
    push(bfgs, pairs, k);
    BOOST_REQUIRE(bfgs.ready());
    const std::size_t first = k + 1 > 3 ? k + 1 - 3 : 0;  // memory 3 keeps the newest three
    Pairs kept{{pairs.s.begin(), pairs.s.begin() + static_cast<std::ptrdiff_t>(k + 1)},
               {pairs.y.begin(), pairs.y.begin() + static_cast<std::ptrdiff_t>(k + 1)}};
    const Matrix dense = dense_bfgs(kept, first);
    for (std::size_t e = 0; e < kN; ++e) {
      std::vector<double> unit(kN, 0.0);
      unit[e] = 1.0;
      const std::vector<double> compact = compact_times(bfgs, unit);
      const std::vector<double> column = times(dense, unit);
      for (std::size_t i = 0; i < kN; ++i) {
        BOOST_TEST(compact[i] == column[i], boost::test_tools::tolerance(1e-10));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_pair_without_curvature_is_skipped_and_keeps_the_others) {
  const Pairs pairs = make_pairs(3, 5);
  CompactBfgs bfgs(2, kN);
  push(bfgs, pairs, 0);
  push(bfgs, pairs, 1);
  const std::vector<double> before = compact_times(bfgs, pairs.s[2]);
  const std::vector<double> zero(kN, 0.0);
  std::vector<double> away = pairs.y[2];
  for (double& v : away) v = -v;  // s.y < 0
  bfgs.push(pairs.s[2], zero, away, zero);
  BOOST_TEST(bfgs.size() == 2U);
  const std::vector<double> after = compact_times(bfgs, pairs.s[2]);
  BOOST_TEST(after == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(far_from_every_bound_the_direction_is_the_quasi_newton_step) {
  const Pairs pairs = make_pairs(4, 23);
  CompactBfgs bfgs(4, kN);
  for (std::size_t k = 0; k < 4; ++k) push(bfgs, pairs, k);
  const Box box(Bounds::between(kN, -1e6, 1e6), kN);
  const std::vector<double> x(kN, 0.0);
  const std::vector<double> g{0.3, -0.2, 0.5, 0.1, -0.4, 0.25};
  std::vector<double> d(kN);
  slope::detail::LbfgsbWorkspace work(kN);
  BOOST_REQUIRE(slope::detail::lbfgsb_direction(box, bfgs, x, g, d, work));
  const std::vector<double> bd = compact_times(bfgs, d);  // B d = -g
  for (std::size_t i = 0; i < kN; ++i) BOOST_TEST(bd[i] == -g[i], boost::test_tools::tolerance(1e-9));
}

/// The generalized Cauchy point by brute force with the dense B: walk the path P(x - t g)
/// segment by segment; on each, the model's slope along the segment's direction u is
/// q'(t) = g.u + u.B z(t) with z(t) = P(x - t g) - x, linear in t; stop where it first turns >= 0.
std::vector<double> dense_cauchy_point(const Box& box, const CompactBfgs& bfgs, std::span<const double> x,
                                       std::span<const double> g) {
  std::vector<double> breaks;
  for (std::size_t i = 0; i < kN; ++i) {
    if (g[i] < 0.0) breaks.push_back((x[i] - box.upper(i)) / g[i]);
    if (g[i] > 0.0) breaks.push_back((x[i] - box.lower(i)) / g[i]);
  }
  breaks.push_back(kInf);
  std::sort(breaks.begin(), breaks.end());
  const auto point = [&](double t) {
    std::vector<double> p(kN);
    for (std::size_t i = 0; i < kN; ++i) p[i] = std::clamp(x[i] - t * g[i], box.lower(i), box.upper(i));
    return p;
  };
  double start = 0.0;
  for (const double end : breaks) {
    if (end <= start) continue;
    std::vector<double> u(kN, 0.0), z = point(start);
    for (std::size_t i = 0; i < kN; ++i) {
      z[i] -= x[i];
      // Components that still move on (start, end) move at -g_i.
      const double mid = start + (end < kInf ? 0.5 * (end - start) : 1.0);
      if (box.lower(i) < x[i] - mid * g[i] && x[i] - mid * g[i] < box.upper(i)) u[i] = -g[i];
    }
    const std::vector<double> bu = compact_times(bfgs, u), bz = compact_times(bfgs, z);
    const double slope = dot(g, u) + dot(u, bz);  // q' at the segment's start
    const double curvature = dot(u, bu);
    if (slope >= 0.0) return point(start);
    const double t = start - slope / curvature;
    if (t < end) return point(t);
    start = end;
  }
  return point(start);
}

BOOST_AUTO_TEST_CASE(the_cauchy_point_matches_a_dense_walk_along_the_path) {
  const Pairs pairs = make_pairs(4, 47);
  CompactBfgs bfgs(4, kN);
  for (std::size_t k = 0; k < 4; ++k) push(bfgs, pairs, k);
  std::mt19937_64 rng(3);
  const auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53 * 2.0 - 1.0; };
  std::size_t pinned_on_the_way = 0;  // components the walk pinned, over all trials
  for (int trial = 0; trial < 50; ++trial) {
    // Boxes of every width: tight ones pin several components on the path, wide ones none.
    const double width = std::pow(10.0, 2.0 * uniform());
    Bounds bounds{std::vector<double>(kN), std::vector<double>(kN)};
    std::vector<double> x(kN), g(kN);
    for (std::size_t i = 0; i < kN; ++i) {
      bounds.lower[i] = -width * (1.0 + uniform()) / 2.0;
      bounds.upper[i] = width * (1.0 + uniform()) / 2.0;
      x[i] = bounds.lower[i] + (bounds.upper[i] - bounds.lower[i]) * (uniform() + 1.0) / 2.0;
      g[i] = 10.0 * uniform();
    }
    if (trial % 5 == 0) x[0] = bounds.lower[0], g[0] = std::fabs(g[0]);  // pinned from the start
    const Box box(bounds, kN);
    std::vector<double> d(kN);
    slope::detail::LbfgsbWorkspace work(kN);
    slope::detail::lbfgsb_direction(box, bfgs, x, g, d, work);
    const std::vector<double> expected = dense_cauchy_point(box, bfgs, x, g);
    BOOST_TEST_CONTEXT("trial " << trial << ", width " << width) {
      for (std::size_t i = 0; i < kN; ++i) {
        BOOST_TEST(work.cauchy[i] == expected[i], boost::test_tools::tolerance(1e-9));
        const bool at_bound = expected[i] == bounds.lower[i] || expected[i] == bounds.upper[i];
        pinned_on_the_way += at_bound && x[i] != expected[i];
      }
    }
  }
  BOOST_TEST(pinned_on_the_way >= 20U);  // the walk passed breakpoints, not only the first segment
  BOOST_TEST_MESSAGE(pinned_on_the_way << " components pinned on the way");
}

BOOST_AUTO_TEST_CASE(a_direction_keeps_pinned_components_on_their_bounds) {
  // x_0 sits on its lower bound and g pushes it outward: it stays; x + d stays inside the box.
  const Pairs pairs = make_pairs(3, 31);
  CompactBfgs bfgs(3, kN);
  for (std::size_t k = 0; k < 3; ++k) push(bfgs, pairs, k);
  const Box box(Bounds::between(kN, 0.0, 0.5), kN);
  const std::vector<double> x{0.0, 0.25, 0.25, 0.25, 0.5, 0.1};
  const std::vector<double> g{1.0, -0.2, 0.5, 0.1, -0.4, 0.25};
  std::vector<double> d(kN);
  slope::detail::LbfgsbWorkspace work(kN);
  BOOST_REQUIRE(slope::detail::lbfgsb_direction(box, bfgs, x, g, d, work));
  BOOST_TEST(d[0] == 0.0);
  BOOST_TEST(d[4] == 0.0);  // on its upper bound, pushed outward (g < 0)
  BOOST_TEST(dot(g, d) < 0.0);
  for (std::size_t i = 0; i < kN; ++i) {
    BOOST_TEST(x[i] + d[i] >= -1e-15);
    BOOST_TEST(x[i] + d[i] <= 0.5 + 1e-15);
  }
}

BOOST_AUTO_TEST_CASE(the_projected_gradient_ignores_outward_pushes_and_keeps_small_gradients) {
  const Box box(Bounds{{0.0, -kInf, -1.0}, {1.0, kInf, 1.0}}, 3);
  const std::vector<double> x{0.0, 1e12, 0.9};
  // x_0 on its lower bound pushed outward: 0; x_1 free and huge: its tiny gradient survives
  // (1e12 - 1e-9 - 1e12 would be 0); x_2 0.1 from its upper bound: at most 0.1.
  const std::vector<double> g{3.0, -1e-9, -5.0};
  BOOST_TEST(box.projected_gradient_norm(x, g) == 0.1, boost::test_tools::tolerance(1e-15));
  std::vector<double> d(3);
  box.projected_steepest(x, g, d);
  BOOST_TEST(d[0] == 0.0);
  BOOST_TEST(d[1] == 1e-9);
  BOOST_TEST(d[2] == 0.1, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(box.max_step(x, d) == 1.0, boost::test_tools::tolerance(1e-15));
  std::vector<double> out(3);
  box.step(x, 1.0, d, out);
  BOOST_TEST(out[2] == 1.0);  // lands exactly on the bound it reached
  box.step(x, 5.0, d, out);
  BOOST_TEST(out[2] == 1.0);
  BOOST_TEST(out[0] == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
