#pragma once
/// \file
/// Data-parallel objectives over MPI ranks: each rank holds a shard of the data and computes
/// its terms, and the sums are combined in rank order, so every rank gets the same bits on
/// every run (MPI_SUM may add in any order). The sibling of slope::parallel_sum_gradient,
/// which splits the terms over threads of one process.
///
///     MPI_Init(&argc, &argv);
///     // this rank's rows of X and y ...
///     std::vector<double> grad(w.size());
///     double lp = slope::mpi::sum_gradient(
///         [&](std::span<const slope::Var> w) { return log_likelihood(w, X_shard, y_shard); }, w, grad);
///     // lp and grad are the sums over all ranks, the same bits on each
///
/// Link slope::mpi (built when CMake finds MPI; Debian: libopenmpi-dev, openmpi-bin).

#include <mpi.h>

#include <exception>
#include <span>
#include <vector>

#include "slope/autodiff.hpp"

namespace slope::mpi {

/// Another rank failed (and reports it): this one stops too.
class RankFailure : public slope::Error {
 public:
  RankFailure() : slope::Error("slope::mpi: another rank failed") {}
};

/// Replaces `values` by their sum over the ranks of `comm`, added in rank order on every rank
/// (an all-gather, then the same additions everywhere: the same bits on every rank and run),
/// and returns the largest `status` any rank passed. Every rank must call it with as many
/// values. Throws slope::Error when MPI reports an error.
int all_reduce(std::span<double> values, int status, MPI_Comm comm = MPI_COMM_WORLD);

/// This process's rank in `comm`, and the number of ranks.
[[nodiscard]] int rank(MPI_Comm comm = MPI_COMM_WORLD);
[[nodiscard]] int size(MPI_Comm comm = MPI_COMM_WORLD);

/// F(x) = sum over the ranks of f(x), where each rank's f gives the terms of its own shard (a
/// Var; taped with slope::value_and_gradient); returns F(x) and writes dF/dx into `grad`, the
/// same bits on every rank. An exception from f on one rank is rethrown there, and every other
/// rank throws RankFailure: no rank is left waiting.
template <class F>
double sum_gradient(F&& f, std::span<const double> x, std::span<double> grad, MPI_Comm comm = MPI_COMM_WORLD) {
  std::vector<double> sums(grad.size() + 1, 0.0);  // the gradient, then the value
  std::exception_ptr failure;
  try {
    sums.back() = slope::value_and_gradient(f, x, std::span<double>(sums).first(grad.size()));
  } catch (...) {
    failure = std::current_exception();
    std::fill(sums.begin(), sums.end(), 0.0);
  }
  if (all_reduce(sums, failure ? 1 : 0, comm) != 0) {
    if (failure) std::rethrow_exception(failure);
    throw RankFailure();
  }
  std::copy(sums.begin(), sums.end() - 1, grad.begin());
  return sums.back();
}

}  // namespace slope::mpi
