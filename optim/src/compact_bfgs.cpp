#include "compact_bfgs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "run.hpp"

namespace slope::detail {

CompactBfgs::CompactBfgs(std::size_t memory, std::size_t n)
    : memory_(memory),
      n_(n),
      rows_(2 * memory * n, 0.0),
      sy_(memory * memory),
      ss_(memory * memory),
      yy_(memory * memory),
      middle_(4 * memory * memory) {}

void CompactBfgs::drop_oldest() noexcept {
  const std::size_t m = memory_;
  for (std::vector<double>* product : {&sy_, &ss_, &yy_}) {
    std::vector<double>& p = *product;
    for (std::size_t a = 0; a + 1 < size_; ++a) {
      for (std::size_t b = 0; b + 1 < size_; ++b) p[a * m + b] = p[(a + 1) * m + b + 1];
    }
  }
  first_ = (first_ + 1) % memory_;
  --size_;
}

std::optional<Curvature> curvature(std::span<const double> x_new, std::span<const double> x_old,
                                   std::span<const double> g_new, std::span<const double> g_old) noexcept {
  double sy = 0.0;
  double yy = 0.0;
  for (std::size_t i = 0; i < x_new.size(); ++i) {
    const double si = x_new[i] - x_old[i];
    const double yi = g_new[i] - g_old[i];
    sy += si * yi;
    yy += yi * yi;
  }
  const Curvature c{sy, yy};
  if (!enough_curvature(c)) return std::nullopt;
  return c;
}

bool enough_curvature(const Curvature& c) noexcept {
  return c.sy > std::numeric_limits<double>::epsilon() * c.yy && std::isfinite(c.sy) && std::isfinite(c.yy);
}

void CompactBfgs::push(std::span<const double> x_new, std::span<const double> x_old, std::span<const double> g_new,
                       std::span<const double> g_old) {
  // Decide before writing: when the ring is full the new pair's slot holds the oldest pair,
  // which must survive a rejected one.
  if (!curvature(x_new, x_old, g_new, g_old)) return;
  if (size_ == memory_) drop_oldest();
  const std::size_t m = memory_;
  const std::size_t stride = 2 * m;
  const std::size_t new_slot = slot(size_);
  const std::size_t j = size_++;
  // One pass over the components stores the pair and accumulates its products with every
  // slot (unused slots hold finite leftovers that are never read back).
  std::vector<double> s_y(m, 0.0), y_s(m, 0.0), s_s(m, 0.0), y_y(m, 0.0);
  for (std::size_t i = 0; i < n_; ++i) {
    double* row = &rows_[i * stride];
    const double si = x_new[i] - x_old[i];
    const double yi = g_new[i] - g_old[i];
    row[new_slot] = yi;
    row[m + new_slot] = si;
    for (std::size_t c = 0; c < m; ++c) {
      s_y[c] += si * row[c];
      y_s[c] += yi * row[m + c];
      s_s[c] += si * row[m + c];
      y_y[c] += yi * row[c];
    }
  }
  for (std::size_t a = 0; a < size_; ++a) {
    const std::size_t c = slot(a);
    sy_[j * m + a] = s_y[c];
    sy_[a * m + j] = a == j ? s_y[c] : y_s[c];  // s_a.y_new
    ss_[j * m + a] = ss_[a * m + j] = s_s[c];
    yy_[j * m + a] = yy_[a * m + j] = y_y[c];
  }
  theta_ = yy_[j * m + j] / sy_[j * m + j];
  form_middle();
}

void CompactBfgs::form_middle() {
  // M is the inverse of K = [[-D, L^T], [L, T]] with T = theta S^T S. Eliminating the -D block
  // leaves its Schur complement J = T + L D^-1 L^T, which is positive definite (T is, L D^-1 L^T
  // is semidefinite), so J is factored by Cholesky and K^-1 assembled blockwise:
  //   M22 = J^-1,  M21 = J^-1 P,  M12 = M21^T,  M11 = -D^-1 + P^T J^-1 P,  with P = L D^-1.
  const std::size_t k = size_;
  const std::size_t m = memory_;
  const auto lower_sy = [&](std::size_t a, std::size_t b) { return a > b ? sy_[a * m + b] : 0.0; };
  std::vector<double> j(k * k), p(k * k), j_inverse(k * k), column(k);
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b < k; ++b) {
      double v = theta_ * ss_[a * m + b];
      for (std::size_t c = 0; c < std::min(a, b); ++c) v += lower_sy(a, c) * lower_sy(b, c) / sy_[c * m + c];
      j[a * k + b] = v;
      p[a * k + b] = lower_sy(a, b) / sy_[b * m + b];
    }
  }
  // In-place Cholesky J = R R^T, R lower triangular.
  middle_ok_ = false;
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b <= a; ++b) {
      double v = j[a * k + b];
      for (std::size_t c = 0; c < b; ++c) v -= j[a * k + c] * j[b * k + c];
      if (a == b) {
        if (!(v > 0.0) || !std::isfinite(v)) return;  // S lost rank: the caller starts over
        j[a * k + a] = std::sqrt(v);
      } else {
        j[a * k + b] = v / j[b * k + b];
      }
    }
  }
  for (std::size_t e = 0; e < k; ++e) {  // column e of J^-1: solve R R^T x = unit e
    for (std::size_t a = 0; a < k; ++a) {
      double v = a == e ? 1.0 : 0.0;
      for (std::size_t c = 0; c < a; ++c) v -= j[a * k + c] * column[c];
      column[a] = v / j[a * k + a];
    }
    for (std::size_t a = k; a-- > 0;) {
      double v = column[a];
      for (std::size_t c = a + 1; c < k; ++c) v -= j[c * k + a] * column[c];
      column[a] = v / j[a * k + a];
    }
    for (std::size_t a = 0; a < k; ++a) j_inverse[a * k + e] = column[a];
  }
  const std::size_t w = 2 * k;
  double* out = middle_.data();
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b < k; ++b) {
      double m21 = 0.0;  // (J^-1 P)_ab
      for (std::size_t c = 0; c < k; ++c) m21 += j_inverse[a * k + c] * p[c * k + b];
      out[(k + a) * w + b] = m21;
      out[b * w + k + a] = m21;
      out[(k + a) * w + k + b] = j_inverse[a * k + b];
    }
  }
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b < k; ++b) {
      double v = a == b ? -1.0 / sy_[a * m + a] : 0.0;
      for (std::size_t c = 0; c < k; ++c) v += p[c * k + a] * out[(k + c) * w + b];  // P^T (J^-1 P)
      out[a * w + b] = v;
    }
  }
  middle_ok_ = std::all_of(middle_.begin(), middle_.begin() + static_cast<std::ptrdiff_t>(w * w),
                           [](double v) { return std::isfinite(v); });
}

void CompactBfgs::row(std::size_t i, std::span<double> out) const noexcept {
  const double* row = &rows_[i * 2 * memory_];
  for (std::size_t a = 0; a < size_; ++a) {
    const std::size_t c = slot(a);
    out[a] = row[c];
    out[size_ + a] = theta_ * row[memory_ + c];
  }
}

void CompactBfgs::transpose_times(std::span<const double> v, std::span<double> out) const noexcept {
  const std::size_t stride = 2 * memory_;
  std::vector<double> sums(stride, 0.0);
  for (std::size_t i = 0; i < n_; ++i) {
    const double vi = v[i];
    if (vi == 0.0) continue;  // the Cauchy path is zero on every pinned component
    const double* row = &rows_[i * stride];
    for (std::size_t c = 0; c < stride; ++c) sums[c] += row[c] * vi;
  }
  for (std::size_t a = 0; a < size_; ++a) {
    out[a] = sums[slot(a)];
    out[size_ + a] = theta_ * sums[memory_ + slot(a)];
  }
}

void CompactBfgs::middle_times(std::span<const double> v, std::span<double> out) const noexcept {
  const std::size_t w = 2 * size_;
  for (std::size_t a = 0; a < w; ++a) {
    double sum = 0.0;
    for (std::size_t b = 0; b < w; ++b) sum += middle_[a * w + b] * v[b];
    out[a] = sum;
  }
}

void CompactBfgs::full_gram(std::span<double> out) const {
  const std::size_t k = size_;
  const std::size_t w = 2 * k;
  const std::size_t m = memory_;
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b < k; ++b) {
      out[a * w + b] = yy_[a * m + b];
      out[a * w + k + b] = theta_ * sy_[b * m + a];  // y_a.s_b
      out[(k + a) * w + b] = theta_ * sy_[a * m + b];  // s_a.y_b
      out[(k + a) * w + k + b] = theta_ * theta_ * ss_[a * m + b];
    }
  }
}

}  // namespace slope::detail
