// Threads record independently: each thread's active tape is its own, so parallel
// recordings give the same gradients as serial ones. (Run under ThreadSanitizer with the
// "tsan" preset.)
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <thread>
#include <vector>

using slope::Tape;
using slope::Var;

namespace {

/// Gradient of f(x) = sum_i log(1 + x_i^2) * sin(x_i * seed), recorded on its own tape.
std::vector<double> gradient_of_case(int seed, int n) {
  Tape tape;
  auto recording = tape.record();
  std::vector<double> values(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) values[static_cast<std::size_t>(i)] = 0.01 * i - 0.3 * seed;
  const std::vector<Var> x = tape.inputs(values);
  const slope::TapePosition start = tape.position();
  std::vector<double> grad(x.size());
  for (int round = 0; round < 20; ++round) {  // rewind and record again, as an optimizer does
    tape.rewind(start);
    Var f = 0.0;
    for (const Var& xi : x) f += log1p(xi * xi) * sin(xi * static_cast<double>(seed));
    tape.backward(f);
    for (std::size_t i = 0; i < x.size(); ++i) grad[i] = tape.adjoint(x[i]);
  }
  return grad;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(threads)

BOOST_AUTO_TEST_CASE(parallel_recordings_match_serial_ones) {
  constexpr int kThreads = 4;
  constexpr int kSize = 2000;
  std::vector<std::vector<double>> serial;
  for (int t = 0; t < kThreads; ++t) serial.push_back(gradient_of_case(t + 1, kSize));
  std::vector<std::vector<double>> parallel(kThreads);
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < kThreads; ++t) {
      workers.emplace_back([t, &parallel] { parallel[static_cast<std::size_t>(t)] = gradient_of_case(t + 1, kSize); });
    }
  }
  for (int t = 0; t < kThreads; ++t) BOOST_TEST(parallel[static_cast<std::size_t>(t)] == serial[static_cast<std::size_t>(t)]);
}

BOOST_AUTO_TEST_CASE(a_tape_active_on_one_thread_is_not_active_on_another) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(1.0);
  bool threw = false;
  std::jthread other([&] {
    try {
      static_cast<void>(Var(x * 2.0));
    } catch (const slope::TapeError&) {
      threw = true;
    }
  });
  other.join();
  BOOST_TEST(threw);
}

BOOST_AUTO_TEST_CASE(value_and_gradient_from_several_threads) {
  std::vector<double> results(4);
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < 4; ++t) {
      workers.emplace_back([t, &results] {
        const double a = 1.0 + t;
        for (int round = 0; round < 50; ++round) {
          results[static_cast<std::size_t>(t)] =
              slope::value_and_gradient([a](auto x) { return a * x[0] * x[0]; }, {3.0}).gradient[0];
        }
      });
    }
  }
  for (int t = 0; t < 4; ++t) BOOST_TEST(results[static_cast<std::size_t>(t)] == 6.0 * (1.0 + t));
}

BOOST_AUTO_TEST_SUITE_END()
