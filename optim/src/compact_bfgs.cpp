#include "compact_bfgs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "run.hpp"

namespace slope::detail {

CompactBfgs::CompactBfgs(std::size_t memory, std::size_t n)
    : memory_(memory),
      n_(n),
      s_(memory * n),
      y_(memory * n),
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

void CompactBfgs::push(std::span<const double> x_new, std::span<const double> x_old, std::span<const double> g_new,
                       std::span<const double> g_old) {
  // Decide before writing: when the ring is full the new pair's slot holds the oldest pair,
  // which must survive a rejected one.
  double sy = 0.0;
  double yy = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    const double si = x_new[i] - x_old[i];
    const double yi = g_new[i] - g_old[i];
    sy += si * yi;
    yy += yi * yi;
  }
  if (!(sy > std::numeric_limits<double>::epsilon() * yy) || !std::isfinite(sy) || !std::isfinite(yy)) return;
  if (size_ == memory_) drop_oldest();
  const std::size_t slot = (first_ + size_) % memory_;
  double* s_new = &s_[slot * n_];
  double* y_new = &y_[slot * n_];
  for (std::size_t i = 0; i < n_; ++i) {
    s_new[i] = x_new[i] - x_old[i];
    y_new[i] = g_new[i] - g_old[i];
  }
  const std::size_t j = size_++;
  const std::size_t m = memory_;
  const std::span<const double> sj(s_new, n_), yj(y_new, n_);
  for (std::size_t a = 0; a < size_; ++a) {
    const std::span<const double> sa(s(a), n_), ya(y(a), n_);
    sy_[j * m + a] = dot(sj, ya);
    sy_[a * m + j] = a == j ? sy_[j * m + a] : dot(sa, yj);
    ss_[j * m + a] = ss_[a * m + j] = dot(sj, sa);
    yy_[j * m + a] = yy_[a * m + j] = dot(yj, ya);
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
  for (std::size_t a = 0; a < size_; ++a) {
    out[a] = y(a)[i];
    out[size_ + a] = theta_ * s(a)[i];
  }
}

void CompactBfgs::transpose_times(std::span<const double> v, std::span<double> out) const noexcept {
  for (std::size_t a = 0; a < size_; ++a) {
    out[a] = dot(std::span<const double>(y(a), n_), v);
    out[size_ + a] = theta_ * dot(std::span<const double>(s(a), n_), v);
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

void CompactBfgs::gram(std::span<const std::size_t> rows, std::span<double> out) const {
  const std::size_t w = 2 * size_;
  std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(w * w), 0.0);
  std::vector<double> r(w);
  for (const std::size_t i : rows) {
    row(i, r);
    for (std::size_t a = 0; a < w; ++a) {
      for (std::size_t b = 0; b < w; ++b) out[a * w + b] += r[a] * r[b];
    }
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
