// slope::mpi under `mpirun -np 3`: all_reduce adds in rank order (the same bits on every rank),
// sum_gradient over shards equals the gradient of the whole, and an exception on one rank
// stops every rank (RankFailure elsewhere) instead of leaving them waiting.

#define BOOST_TEST_NO_MAIN
#include <boost/test/unit_test.hpp>

#include <mpi.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include <slope/mpi.hpp>

#include "support/finite_difference.hpp"

using slope::Var;

namespace {

constexpr std::size_t kRows = 101;

/// Row i of a logistic regression's data: x_i (3 features) and its label.
double feature(std::size_t i, std::size_t j) { return std::sin(0.37 * static_cast<double>(i * 3 + j) + 0.1); }
double label(std::size_t i) { return i % 3 == 0 ? 1.0 : 0.0; }

/// The log-likelihood of rows [begin, end).
Var log_likelihood(std::span<const Var> w, std::size_t begin, std::size_t end) {
  Var total = 0.0;
  for (std::size_t i = begin; i < end; ++i) {
    Var z = w[3];
    for (std::size_t j = 0; j < 3; ++j) z += w[j] * feature(i, j);
    total += label(i) * slope::log_sigmoid(z) + (1.0 - label(i)) * slope::log_sigmoid(-z);
  }
  return total;
}

/// Every rank's copy of `values`, to compare them.
std::vector<double> gathered(std::span<const double> values) {
  std::vector<double> all(values.size() * static_cast<std::size_t>(slope::mpi::size()));
  MPI_Allgather(values.data(), static_cast<int>(values.size()), MPI_DOUBLE, all.data(), static_cast<int>(values.size()),
                MPI_DOUBLE, MPI_COMM_WORLD);
  return all;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mpi)

BOOST_AUTO_TEST_CASE(all_reduce_adds_in_rank_order_and_returns_the_worst_status) {
  const int rank = slope::mpi::rank();
  const int size = slope::mpi::size();
  std::vector<double> values{0.1 * (rank + 1), 1e16 * (rank == 0 ? 1 : 0), 1.0};
  const int status = slope::mpi::all_reduce(values, rank == size - 1 ? 7 : 0);
  BOOST_TEST(status == 7);
  double expected = 0.0;
  for (int r = 0; r < size; ++r) expected += 0.1 * (r + 1);  // the same additions, the same order
  BOOST_TEST(values[0] == expected);
  BOOST_TEST(values[2] == static_cast<double>(size));
}

BOOST_AUTO_TEST_CASE(sum_gradient_over_shards_is_the_gradient_of_the_whole_on_every_rank) {
  const auto rank = static_cast<std::size_t>(slope::mpi::rank());
  const auto size = static_cast<std::size_t>(slope::mpi::size());
  const std::size_t begin = kRows * rank / size;
  const std::size_t end = kRows * (rank + 1) / size;
  const std::vector<double> w{0.3, -0.8, 0.5, 0.1};
  std::vector<double> grad(4), whole_grad(4);
  const double value = slope::mpi::sum_gradient([&](std::span<const Var> x) { return log_likelihood(x, begin, end); },
                                                std::span<const double>(w), grad);
  const double whole = slope::value_and_gradient([&](std::span<const Var> x) { return log_likelihood(x, 0, kRows); },
                                                 std::span<const double>(w), whole_grad);
  BOOST_TEST(slope::test::close(value, whole, {1e-13, 1e-13}));
  for (std::size_t j = 0; j < 4; ++j) BOOST_TEST(slope::test::close(grad[j], whole_grad[j], {1e-12, 1e-13}));
  std::vector<double> mine = grad;
  mine.push_back(value);
  const std::vector<double> all = gathered(mine);
  for (std::size_t r = 1; r < size; ++r) {
    for (std::size_t k = 0; k < mine.size(); ++k) BOOST_TEST(all[r * mine.size() + k] == all[k]);
  }
}

BOOST_AUTO_TEST_CASE(an_exception_on_one_rank_stops_every_rank) {
  const int rank = slope::mpi::rank();
  const std::vector<double> w{0.3, -0.8, 0.5, 0.1};
  std::vector<double> grad(4);
  auto shard = [&](std::span<const Var> x) -> Var {
    if (rank == 1) throw std::runtime_error("rank 1 cannot read its shard");
    return log_likelihood(x, 0, 10);
  };
  if (rank == 1) {
    BOOST_CHECK_EXCEPTION(slope::mpi::sum_gradient(shard, std::span<const double>(w), grad), std::runtime_error,
                          [](const std::runtime_error& e) { return std::string(e.what()) == "rank 1 cannot read its shard"; });
  } else {
    BOOST_CHECK_THROW(slope::mpi::sum_gradient(shard, std::span<const double>(w), grad), slope::mpi::RankFailure);
  }
}

BOOST_AUTO_TEST_SUITE_END()

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  const int status = boost::unit_test::unit_test_main([] { return true; }, argc, argv);
  // Every rank's verdict: one failing rank fails the run.
  int worst = status;
  MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return worst;
}
