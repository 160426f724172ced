// Vector nodes and parallel_sum_gradient allocate nothing after the first evaluation: proved by
// counting every operator new of the process (hence an executable of its own).
#define BOOST_TEST_MODULE slope_autodiff_vector_allocation
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/parallel.hpp>

#include <cmath>
#include <vector>

#include "support/counting_new.hpp"

using slope::test::allocations;

namespace {

constexpr std::size_t kRows = 300;
constexpr std::size_t kCols = 8;

/// Buffers of one evaluation, allocated once.
struct Buffers {
  std::vector<double> X = std::vector<double>(kRows * kCols);
  std::vector<double> y = std::vector<double>(kRows);
  std::vector<slope::Var> z = std::vector<slope::Var>(kRows);
  std::vector<slope::Var> p = std::vector<slope::Var>(kRows);
  std::vector<slope::Var> scattered = std::vector<slope::Var>(kCols);
  std::vector<slope::Var> c = std::vector<slope::Var>(kCols * kCols);
  Buffers() {
    for (std::size_t k = 0; k < X.size(); ++k) X[k] = std::sin(0.3 * static_cast<double>(k));
    for (std::size_t i = 0; i < kRows; ++i) y[i] = static_cast<double>(i % 2);
  }
};

/// One evaluation using every kind of vector node, including operands given by id lists.
void evaluate(slope::Tape& tape, const slope::TapePosition& start, const std::vector<slope::Var>& w, Buffers& b,
              std::vector<double>& grad) {
  tape.rewind(start);
  slope::matvec(slope::ConstMatrixView(b.X.data(), kRows, kCols), w, b.z);
  slope::add(b.z, w[0], b.z);
  slope::multiply(b.z, w[1], b.z);
  slope::divide(b.y, w[2], b.p);
  slope::softplus(b.z, b.p);
  for (std::size_t j = 0; j < kCols; ++j) b.scattered[j] = w[kCols - 1 - j];
  slope::matmul(w, b.scattered, 1, kCols, 1, std::span<slope::Var>(b.c).first(1));
  slope::vecmat(b.z, slope::ConstMatrixView(b.X.data(), kRows, kCols), b.scattered);
  const slope::Var lp = slope::dot(b.z, b.y) - slope::sum(b.p) + slope::mean(w) * slope::squared_norm(b.scattered) +
                        slope::dot(w, b.scattered) + b.c[0];
  tape.backward(lp);
  for (std::size_t j = 0; j < w.size(); ++j) grad[j] = tape.adjoint(w[j]);
}

}  // namespace

BOOST_AUTO_TEST_CASE(re_recording_vector_nodes_allocates_nothing_after_the_first_evaluation) {
  slope::Tape tape;
  auto recording = tape.record();
  std::vector<slope::Var> w(kCols);
  tape.inputs(std::vector<double>(kCols, 0.1), w);
  const slope::TapePosition start = tape.position();
  Buffers buffers;
  std::vector<double> grad(kCols);
  evaluate(tape, start, w, buffers, grad);  // the tape grows to size here
  const long before = allocations.load();
  for (int round = 0; round < 10; ++round) evaluate(tape, start, w, buffers, grad);
  BOOST_TEST(allocations.load() - before == 0);
  BOOST_TEST(grad[0] != 0.0);
}

BOOST_AUTO_TEST_CASE(parallel_sum_gradient_allocates_nothing_after_the_first_call) {
  slope::GradientPool pool(3);
  const auto terms = [](std::span<const slope::Var> w, std::size_t begin, std::size_t end) {
    slope::Var s = 0.0;
    for (std::size_t i = begin; i < end; ++i) s += log1p(square(w[i % w.size()] * static_cast<double>(i)));
    return s;
  };
  const std::vector<double> x{0.1, 0.2, 0.3};
  std::vector<double> grad(3);
  slope::parallel_sum_gradient(pool, 1000, x, grad, terms);
  const long before = allocations.load();
  for (int round = 0; round < 10; ++round) slope::parallel_sum_gradient(pool, 1000, x, grad, terms);
  BOOST_TEST(allocations.load() - before == 0);
  BOOST_TEST(grad[0] != 0.0);
}

BOOST_AUTO_TEST_CASE(the_counter_sees_allocations) {
  const long before = allocations.load();
  auto* p = new std::vector<int>(100);
  delete p;
  BOOST_TEST(allocations.load() - before >= 2);
}
