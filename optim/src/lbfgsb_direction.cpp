#include "lbfgsb_direction.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "run.hpp"

namespace slope::detail {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Solves A u = b in place (A is size x size, row-major, destroyed; b becomes u) by Gaussian
/// elimination with partial pivoting. False when A is numerically singular.
bool solve_dense(std::vector<double>& a, std::vector<double>& b, std::size_t size) {
  for (std::size_t col = 0; col < size; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < size; ++r) {
      if (std::fabs(a[r * size + col]) > std::fabs(a[pivot * size + col])) pivot = r;
    }
    const double p = a[pivot * size + col];
    if (!(std::fabs(p) > 0.0) || !std::isfinite(p)) return false;
    if (pivot != col) {
      for (std::size_t c = 0; c < size; ++c) std::swap(a[col * size + c], a[pivot * size + c]);
      std::swap(b[col], b[pivot]);
    }
    for (std::size_t r = col + 1; r < size; ++r) {
      const double factor = a[r * size + col] / p;
      if (factor == 0.0) continue;
      for (std::size_t c = col; c < size; ++c) a[r * size + c] -= factor * a[col * size + c];
      b[r] -= factor * b[col];
    }
  }
  for (std::size_t r = size; r-- > 0;) {
    double v = b[r];
    for (std::size_t c = r + 1; c < size; ++c) v -= a[r * size + c] * b[c];
    b[r] = v / a[r * size + r];
  }
  return std::all_of(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(size),
                     [](double v) { return std::isfinite(v); });
}

void axpy(double alpha, std::span<const double> x, std::span<double> y) noexcept {
  for (std::size_t i = 0; i < x.size(); ++i) y[i] += alpha * x[i];
}

/// The upper triangle of gram (r.size() square, row-major) += sign r r^T.
void add_outer(std::span<const double> r, double sign, std::span<double> gram) noexcept {
  const std::size_t w = r.size();
  for (std::size_t a = 0; a < w; ++a) {
    const double ra = sign * r[a];
    for (std::size_t b = a; b < w; ++b) gram[a * w + b] += ra * r[b];
  }
}

/// Copies the upper triangle of a (w x w, row-major) into its lower triangle.
void mirror_upper(std::span<double> a, std::size_t w) noexcept {
  for (std::size_t i = 0; i < w; ++i) {
    for (std::size_t j = 0; j < i; ++j) a[i * w + j] = a[j * w + i];
  }
}

/// Walks the projected steepest-descent path from x to the first minimizer of the model along
/// it. Leaves the point in work.cauchy and returns M c, with c = W^T (cauchy - x).
std::vector<double> cauchy_point(const Box& box, const CompactBfgs& bfgs, std::span<const double> x,
                                 std::span<const double> g, LbfgsbWorkspace& work) {
  const std::size_t n = x.size();
  const std::size_t w = 2 * bfgs.size();
  const double theta = bfgs.theta();
  std::vector<double>& path = work.path;
  std::vector<double>& cauchy = work.cauchy;
  work.breakpoints.clear();
  // f1, f2: the model's first and second derivatives along the current segment of the path.
  double f1 = 0.0;
  std::size_t moving = 0;
  for (std::size_t i = 0; i < n; ++i) {
    cauchy[i] = x[i];
    double t = kInf;  // where component i meets the bound -g_i points to
    if (g[i] < 0.0) {
      t = (x[i] - box.upper(i)) / g[i];
    } else if (g[i] > 0.0) {
      t = (x[i] - box.lower(i)) / g[i];
    }
    if (t == 0.0 || g[i] == 0.0) {
      path[i] = 0.0;  // pinned from the start (or not moving at all)
      continue;
    }
    path[i] = -g[i];
    f1 -= g[i] * g[i];
    ++moving;
    if (t < kInf) work.breakpoints.emplace_back(t, i);
  }
  std::vector<double> p(w), mp(w), mc(w, 0.0), wb(w), mwb(w);
  bfgs.transpose_times(path, p);
  bfgs.middle_times(p, mp);
  double f2 = -theta * f1 - dot(p, mp);
  const double f2_floor = std::numeric_limits<double>::epsilon() * f2;  // keeps f2 > 0 against rounding
  double dt_min = moving > 0 ? -f1 / f2 : 0.0;
  // A heap, not a sort: most iterations pass only a few of the breakpoints.
  auto& heap = work.breakpoints;
  const auto later = [](const auto& a, const auto& b) { return a > b; };
  std::make_heap(heap.begin(), heap.end(), later);
  double t_old = 0.0;
  while (!heap.empty()) {
    const auto [t_b, b] = heap.front();
    const double dt = t_b - t_old;
    if (dt_min < dt) break;  // the model's minimizer lies before this breakpoint
    std::pop_heap(heap.begin(), heap.end(), later);
    heap.pop_back();
    // Pass the breakpoint: component b is pinned at the bound it reached.
    cauchy[b] = path[b] > 0.0 ? box.upper(b) : box.lower(b);
    const double z_b = cauchy[b] - x[b];
    const double g_b = g[b];
    axpy(dt, mp, mc);  // c moves to the breakpoint (kept as M c)
    bfgs.row(b, wb);
    bfgs.middle_times(wb, mwb);
    f1 += dt * f2 + g_b * g_b + theta * g_b * z_b - g_b * dot(wb, mc);
    f2 -= theta * g_b * g_b + 2.0 * g_b * dot(wb, mp) + g_b * g_b * dot(wb, mwb);
    axpy(g_b, mwb, mp);  // p gains g_b w_b, as the path loses its component b
    path[b] = 0.0;
    --moving;
    t_old = t_b;
    f2 = std::max(f2, f2_floor);
    dt_min = moving > 0 ? -f1 / f2 : 0.0;
  }
  dt_min = std::max(dt_min, 0.0);
  const double t = t_old + dt_min;
  for (std::size_t i = 0; i < n; ++i) {
    if (path[i] != 0.0) cauchy[i] = std::clamp(x[i] + t * path[i], box.lower(i), box.upper(i));
  }
  axpy(dt_min, mp, mc);
  return mc;
}

/// True when d = xbar - x descends; then d holds it.
bool descends(std::span<const double> xbar, std::span<const double> x, std::span<const double> g,
              std::span<double> d) noexcept {
  for (std::size_t i = 0; i < x.size(); ++i) d[i] = xbar[i] - x[i];
  return dot(g, d) < 0.0;
}

}  // namespace

bool lbfgsb_direction(const Box& box, const CompactBfgs& bfgs, std::span<const double> x, std::span<const double> g,
                      std::span<double> d, LbfgsbWorkspace& work) {
  const std::size_t n = x.size();
  const std::size_t w = 2 * bfgs.size();
  const double theta = bfgs.theta();
  const std::vector<double> mc = cauchy_point(box, bfgs, x, g, work);
  const std::vector<double>& cauchy = work.cauchy;

  work.free.clear();
  work.fixed.clear();
  for (std::size_t i = 0; i < n; ++i) {
    (box.lower(i) < cauchy[i] && cauchy[i] < box.upper(i) ? work.free : work.fixed).push_back(i);
  }
  if (work.free.empty()) return descends(cauchy, x, g, d);

  // One pass over the free rows of W: the model's gradient at the Cauchy point there,
  // r = g + B (cauchy - x) = g + theta z - W M c, then v = M W_F^T r, and W_F^T W_F when the free
  // rows are the fewer (otherwise W^T W minus the fixed rows).
  const bool free_rows_fewer = work.free.size() <= work.fixed.size();
  std::vector<double> wi(w), wr(w, 0.0), v(w), gram(w * w, 0.0);
  work.reduced.resize(work.free.size());
  for (std::size_t f = 0; f < work.free.size(); ++f) {
    const std::size_t i = work.free[f];
    bfgs.row(i, wi);
    const double r = g[i] + theta * (cauchy[i] - x[i]) - dot(wi, mc);
    work.reduced[f] = r;
    axpy(r, wi, wr);
    if (free_rows_fewer) add_outer(wi, 1.0, gram);
  }
  bfgs.middle_times(wr, v);
  if (!free_rows_fewer) {
    bfgs.full_gram(gram);
    for (const std::size_t i : work.fixed) {
      bfgs.row(i, wi);
      add_outer(wi, -1.0, gram);
    }
  }
  mirror_upper(gram, w);

  // Newton step on the free subspace, -(B_FF)^-1 r with B_FF = theta I - W_F M W_F^T:
  //   (B_FF)^-1 = I / theta + W_F N^-1 M W_F^T / theta^2,   N = I - M W_F^T W_F / theta.
  std::vector<double> n_matrix(w * w, 0.0), mg(w);
  std::vector<double> column(w);
  for (std::size_t b = 0; b < w; ++b) {
    for (std::size_t a = 0; a < w; ++a) column[a] = gram[a * w + b];
    bfgs.middle_times(column, mg);
    for (std::size_t a = 0; a < w; ++a) n_matrix[a * w + b] = (a == b ? 1.0 : 0.0) - mg[a] / theta;
  }
  if (!solve_dense(n_matrix, v, w)) return descends(cauchy, x, g, d);
  // The step on each free component; work.reduced holds it from here on.
  for (std::size_t f = 0; f < work.free.size(); ++f) {
    bfgs.row(work.free[f], wi);
    work.reduced[f] = -work.reduced[f] / theta - dot(wi, v) / (theta * theta);
  }
  std::vector<double>& xbar = work.path;  // the path is no longer needed
  std::copy(cauchy.begin(), cauchy.end(), xbar.begin());
  for (std::size_t f = 0; f < work.free.size(); ++f) {
    const std::size_t i = work.free[f];
    xbar[i] = std::clamp(cauchy[i] + work.reduced[f], box.lower(i), box.upper(i));
  }
  if (descends(xbar, x, g, d)) return true;

  // The projected point does not descend: shorten the subspace step to stay inside instead.
  double alpha = 1.0;
  for (std::size_t f = 0; f < work.free.size(); ++f) {
    const std::size_t i = work.free[f];
    const double step = work.reduced[f];
    if (step < 0.0) {
      alpha = std::min(alpha, (box.lower(i) - cauchy[i]) / step);
    } else if (step > 0.0) {
      alpha = std::min(alpha, (box.upper(i) - cauchy[i]) / step);
    }
  }
  for (std::size_t f = 0; f < work.free.size(); ++f) {
    const std::size_t i = work.free[f];
    xbar[i] = std::clamp(cauchy[i] + alpha * work.reduced[f], box.lower(i), box.upper(i));
  }
  if (descends(xbar, x, g, d)) return true;
  return descends(cauchy, x, g, d);
}

}  // namespace slope::detail
