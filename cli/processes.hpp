#pragma once
/// \file
/// The processes a `slope` run is spread over: this one alone, or the ranks of
/// `mpirun -np K slope ...` (when built with MPI). Each rank reads its own block of the data
/// rows, the model sums its reductions over rows across the ranks, every rank takes the same
/// optimizer steps, and only rank 0 prints. See docs/mpi.md.

#include <cstddef>
#include <exception>
#include <span>

namespace slope::cli {

class Processes {
 public:
  /// Joins the MPI job when the process was started by mpirun (MPI_Init), else stands alone.
  Processes(int& argc, char**& argv);
  ~Processes();  // MPI_Finalize
  Processes(const Processes&) = delete;
  Processes& operator=(const Processes&) = delete;

  [[nodiscard]] std::size_t rank() const noexcept { return rank_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool distributed() const noexcept { return size_ > 1; }

  /// Replaces `values` by their sum over the processes, added in rank order (the same bits on
  /// every rank), and returns the largest `status` any rank passed.
  int all_reduce(std::span<double> values, int status) const;

  /// Called by every rank after a step that may fail on some ranks only (reading its rows):
  /// when any rank failed, rethrows `failure` on the ranks that have one and throws
  /// lang::PeerFailure on the others, so that all stop together.
  void settle(const std::exception_ptr& failure) const;

 private:
  std::size_t rank_ = 0;
  std::size_t size_ = 1;
  bool started_ = false;
};

}  // namespace slope::cli
