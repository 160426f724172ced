// parallel_sum_gradient: the gradient of a sum over shards, each shard's terms recorded on the
// tape of the thread that runs it. Parallel and serial gradients agree to rounding, one thread is
// exactly the serial recording, and repeated calls with the same thread count agree to the bit.
// Run under ThreadSanitizer with the "tsan" preset.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/parallel.hpp>

#include <cmath>
#include <cstring>
#include <span>
#include <stdexcept>
#include <vector>

#include "support/finite_difference.hpp"

namespace bdata = boost::unit_test::data;
using slope::ConstMatrixView;
using slope::GradientPool;
using slope::Var;
using slope::test::close;
using slope::test::Tolerance;

namespace {

/// A logistic regression's data: rows x cols, row-major, with 0/1 outcomes.
struct Data {
  static constexpr std::size_t rows = 1003;  // not a multiple of any thread count tested
  static constexpr std::size_t cols = 6;
  std::vector<double> X = std::vector<double>(rows * cols);
  std::vector<double> y = std::vector<double>(rows);
  Data() {
    for (std::size_t k = 0; k < X.size(); ++k) X[k] = std::sin(0.7 * static_cast<double>(k) + 0.1);
    for (std::size_t i = 0; i < rows; ++i) y[i] = std::cos(1.9 * static_cast<double>(i)) > 0.0 ? 1.0 : 0.0;
  }

  /// Log-likelihood terms of rows [begin, end), scalar operations.
  Var scalar_terms(std::span<const Var> w, std::size_t begin, std::size_t end) const {
    Var lp = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
      Var z = 0.0;
      for (std::size_t j = 0; j < cols; ++j) z += X[i * cols + j] * w[j];
      lp += y[i] * z - softplus(z);
    }
    return lp;
  }

  /// The same terms with vector nodes.
  Var vector_terms(std::span<const Var> w, std::size_t begin, std::size_t end) const {
    const std::size_t n = end - begin;
    std::vector<Var> z(n), p(n);
    slope::matvec(ConstMatrixView(X.data() + begin * cols, n, cols), w, z);
    slope::softplus(z, p);
    return slope::dot(z, std::span<const double>(y).subspan(begin, n)) - slope::sum(p);
  }
};

const Data data;
const std::vector<double> w0{0.3, -0.2, 0.1, 0.5, -0.4, 0.05};

/// The serial value and gradient of rows [0, rows) on one tape.
template <class Terms>
std::pair<double, std::vector<double>> serial(Terms terms) {
  slope::Tape tape;
  auto recording = tape.record();
  const std::vector<Var> w = tape.inputs(w0);
  const Var y = terms(std::span<const Var>(w), 0, Data::rows);
  tape.backward(y);
  std::vector<double> grad(w.size());
  for (std::size_t j = 0; j < w.size(); ++j) grad[j] = tape.adjoint(w[j]);
  return {y.value(), grad};
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

const auto scalar_terms = [](std::span<const Var> w, std::size_t b, std::size_t e) { return data.scalar_terms(w, b, e); };
const auto vector_terms = [](std::span<const Var> w, std::size_t b, std::size_t e) { return data.vector_terms(w, b, e); };

}  // namespace

BOOST_AUTO_TEST_SUITE(parallel)

BOOST_DATA_TEST_CASE(parallel_gradients_match_serial_ones, bdata::make({1, 2, 3, 4, 7}), threads) {
  GradientPool pool(static_cast<std::size_t>(threads));
  BOOST_TEST(pool.threads() == static_cast<std::size_t>(threads));
  for (const bool vector : {false, true}) {
    BOOST_TEST_CONTEXT((vector ? "vector nodes" : "scalar operations") << ", " << threads << " threads") {
      const auto [want_value, want_grad] = vector ? serial(vector_terms) : serial(scalar_terms);
      std::vector<double> grad(w0.size());
      const double value = vector ? slope::parallel_sum_gradient(pool, Data::rows, w0, grad, vector_terms)
                                  : slope::parallel_sum_gradient(pool, Data::rows, w0, grad, scalar_terms);
      BOOST_TEST(close(value, want_value, Tolerance{1e-13, 1e-13}));
      for (std::size_t j = 0; j < grad.size(); ++j) BOOST_TEST(close(grad[j], want_grad[j], Tolerance{1e-12, 1e-12}));
      if (threads == 1) {  // one block: exactly the serial recording
        BOOST_TEST(same_bits(value, want_value));
        for (std::size_t j = 0; j < grad.size(); ++j) BOOST_TEST(same_bits(grad[j], want_grad[j]));
      }
      // Repeated calls: the same bits every time.
      for (int round = 0; round < 5; ++round) {
        std::vector<double> again(w0.size());
        const double value_again = vector ? slope::parallel_sum_gradient(pool, Data::rows, w0, again, vector_terms)
                                          : slope::parallel_sum_gradient(pool, Data::rows, w0, again, scalar_terms);
        BOOST_TEST(same_bits(value_again, value));
        for (std::size_t j = 0; j < grad.size(); ++j) BOOST_TEST(same_bits(again[j], grad[j]));
      }
    }
  }
}

BOOST_DATA_TEST_CASE(pieces_of_a_grain_give_the_same_gradient_every_call, bdata::make({1, 2, 3}), threads) {
  // grain splits each block into pieces recorded and swept one after another: the sums change
  // order only, and the pieces are fixed, so repeated calls give the same bits.
  GradientPool pool(static_cast<std::size_t>(threads));
  const auto [want_value, want_grad] = serial(vector_terms);
  for (const std::size_t grain : {std::size_t{1}, std::size_t{7}, std::size_t{64}, Data::rows + 5}) {
    BOOST_TEST_CONTEXT(threads << " threads, grain " << grain) {
      std::vector<double> grad(w0.size()), again(w0.size());
      const double value = slope::parallel_sum_gradient(pool, Data::rows, w0, grad, vector_terms, grain);
      BOOST_TEST(close(value, want_value, Tolerance{1e-13, 1e-13}));
      for (std::size_t j = 0; j < grad.size(); ++j) BOOST_TEST(close(grad[j], want_grad[j], Tolerance{1e-12, 1e-12}));
      const double value_again = slope::parallel_sum_gradient(pool, Data::rows, w0, again, vector_terms, grain);
      BOOST_TEST(same_bits(value_again, value));
      for (std::size_t j = 0; j < grad.size(); ++j) BOOST_TEST(same_bits(again[j], grad[j]));
    }
  }
}

BOOST_AUTO_TEST_CASE(the_gradient_matches_finite_differences) {
  GradientPool pool(3);
  std::vector<double> grad(w0.size());
  slope::parallel_sum_gradient(pool, Data::rows, w0, grad, vector_terms);
  const std::vector<double> fd = slope::test::central_gradient(
      [](std::span<const double> w) {
        double lp = 0.0;
        for (std::size_t i = 0; i < Data::rows; ++i) {
          double z = 0.0;
          for (std::size_t j = 0; j < Data::cols; ++j) z += data.X[i * Data::cols + j] * w[j];
          lp += data.y[i] * z - std::log1p(std::exp(z));
        }
        return lp;
      },
      w0);
  for (std::size_t j = 0; j < grad.size(); ++j) BOOST_TEST(close(grad[j], fd[j], Tolerance{}));
}

BOOST_AUTO_TEST_CASE(fewer_items_than_threads_leave_workers_idle) {
  GradientPool pool(4);
  std::vector<double> grad(w0.size());
  const double value = slope::parallel_sum_gradient(pool, 2, w0, grad, scalar_terms);
  slope::Tape tape;
  auto recording = tape.record();
  const std::vector<Var> w = tape.inputs(w0);
  const Var want = data.scalar_terms(w, 0, 2);
  tape.backward(want);
  BOOST_TEST(close(value, want.value(), Tolerance{1e-14, 1e-14}));
  for (std::size_t j = 0; j < grad.size(); ++j) BOOST_TEST(close(grad[j], tape.adjoint(w[j]), Tolerance{1e-14, 1e-14}));
  // No items at all: zero.
  BOOST_TEST(slope::parallel_sum_gradient(pool, 0, w0, grad, scalar_terms) == 0.0);
  for (const double g : grad) BOOST_TEST(g == 0.0);
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_shard_reaches_the_caller_and_the_pool_survives) {
  GradientPool pool(3);
  std::vector<double> grad(w0.size());
  const auto failing = [](std::span<const Var> w, std::size_t begin, std::size_t end) {
    if (begin > 0) throw std::runtime_error("shard failed");
    return data.scalar_terms(w, begin, end);
  };
  BOOST_CHECK_THROW(slope::parallel_sum_gradient(pool, Data::rows, w0, grad, failing), std::runtime_error);
  const double value = slope::parallel_sum_gradient(pool, Data::rows, w0, grad, scalar_terms);
  BOOST_TEST(close(value, serial(scalar_terms).first, Tolerance{1e-13, 1e-13}));
}

BOOST_AUTO_TEST_CASE(a_gradient_of_the_wrong_size_throws) {
  GradientPool pool(2);
  std::vector<double> grad(w0.size() + 1);
  BOOST_CHECK_THROW(slope::parallel_sum_gradient(pool, Data::rows, w0, grad, scalar_terms), slope::ShapeError);
}

BOOST_AUTO_TEST_CASE(the_callers_own_recording_is_left_alone) {
  // parallel_sum_gradient records on the pool's tapes, also on the calling thread: a recording
  // the caller has open keeps its tape and its nodes.
  slope::Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(2.0);
  GradientPool pool(2);
  std::vector<double> grad(w0.size());
  slope::parallel_sum_gradient(pool, Data::rows, w0, grad, scalar_terms);
  const Var y = x * x;
  tape.backward(y);
  BOOST_TEST(tape.adjoint(x) == 4.0);
  BOOST_TEST(tape.size() == 2);
}

BOOST_AUTO_TEST_SUITE_END()
