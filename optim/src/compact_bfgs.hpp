#pragma once
// The limited-memory BFGS matrix in the compact form of Byrd, Nocedal & Schnabel (Math.
// Programming 63, 1994), which the bounded L-BFGS needs: it works with B itself restricted to
// the free components, which the two-loop recursion (it applies the inverse) cannot give.
//
//   B = theta I - W M W^T,   W = [Y, theta S]  (n x 2k),
//   M = [[-D, L^T], [L, theta S^T S]]^-1        (2k x 2k),
//
// with S, Y the last k pairs (s, y) as columns, D = diag(s_j.y_j), L the strictly lower
// triangle of S^T Y (L_ab = s_a.y_b for a > b), and theta = y.y / s.y of the newest pair.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace slope::detail {

/// s.y and y.y of a pair s = x_new - x_old, y = g_new - g_old.
struct Curvature {
  double sy = 0.0;
  double yy = 0.0;
};

/// The pair's curvature when it is enough (s.y > eps |y|^2, finite) to keep a quasi-Newton
/// matrix positive definite, else nothing: both L-BFGS memories (the two-loop pairs of Lbfgs and
/// CompactBfgs) store only such pairs.
std::optional<Curvature> curvature(std::span<const double> x_new, std::span<const double> x_old,
                                   std::span<const double> g_new, std::span<const double> g_old) noexcept;
/// The test behind curvature(), on products already computed.
bool enough_curvature(const Curvature& c) noexcept;

class CompactBfgs {
 public:
  CompactBfgs(std::size_t memory, std::size_t n);

  void clear() noexcept { size_ = 0; }
  /// k, the number of pairs held.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// True when pairs are held and M could be formed.
  [[nodiscard]] bool ready() const noexcept { return size_ > 0 && middle_ok_; }
  [[nodiscard]] double theta() const noexcept { return theta_; }

  /// Adds s = x_new - x_old, y = g_new - g_old (dropping the oldest pair when full), unless
  /// s.y <= eps y.y: B must stay positive definite, so such a pair is skipped.
  void push(std::span<const double> x_new, std::span<const double> x_old, std::span<const double> g_new,
            std::span<const double> g_old);

  /// out = w_i, row i of W (2k entries).
  void row(std::size_t i, std::span<double> out) const noexcept;
  /// out = W^T v (2k entries).
  void transpose_times(std::span<const double> v, std::span<double> out) const noexcept;
  /// out = M v (2k entries; out must not alias v).
  void middle_times(std::span<const double> v, std::span<double> out) const noexcept;
  /// out = W^T W (2k x 2k, row-major), from the inner products kept up to date by push.
  void full_gram(std::span<double> out) const;

 private:
  /// The ring slot of the j-th oldest pair.
  [[nodiscard]] std::size_t slot(std::size_t j) const noexcept {
    const std::size_t c = first_ + j;  // < 2 memory_: a subtraction, not a division (row() is hot)
    return c < memory_ ? c : c - memory_;
  }
  void drop_oldest() noexcept;
  void form_middle();

  std::size_t memory_, n_;
  // The pairs by component: row i holds y_i of each ring slot, then s_i of each slot. The
  // bounded direction reads W a row at a time, often for most components, so a row is one or
  // two cache lines instead of 2k scattered reads.
  std::vector<double> rows_;          // n_ x 2 memory_
  std::vector<double> sy_, ss_, yy_;  // s_a.y_b, s_a.s_b, y_a.y_b in logical order (memory_ x memory_)
  std::vector<double> middle_;        // M, 2k x 2k row-major
  std::size_t first_ = 0;
  std::size_t size_ = 0;
  double theta_ = 1.0;
  bool middle_ok_ = false;
};

}  // namespace slope::detail
