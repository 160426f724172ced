// Processes without MPI: this process alone.
#include "processes.hpp"
#include "slope/lang/errors.hpp"

namespace slope::cli {

Processes::Processes(int& /*argc*/, char**& /*argv*/) {}
Processes::~Processes() = default;

int Processes::all_reduce(std::span<double> /*values*/, int status) const { return status; }

void Processes::settle(const std::exception_ptr& failure) const {
  if (all_reduce({}, failure ? 1 : 0) == 0) return;
  if (failure) std::rethrow_exception(failure);
  throw lang::PeerFailure();
}

}  // namespace slope::cli
