// Processes over MPI, when the run was started by mpirun.
#include <mpi.h>

#include <cstdlib>

#include "processes.hpp"
#include "slope/lang/errors.hpp"
#include "slope/mpi.hpp"

namespace slope::cli {

namespace {

/// True when a launcher (OpenMPI's mpirun, or a PMI/PMIx one such as srun) started this process:
/// a plain `slope` neither pays for MPI_Init nor needs a launcher.
bool launched_by_mpirun() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"}) {
    if (std::getenv(variable) != nullptr) return true;
  }
  return false;
}

}  // namespace

Processes::Processes(int& argc, char**& argv) {
  if (!launched_by_mpirun()) return;
  MPI_Init(&argc, &argv);
  started_ = true;
  // Errors come back as codes (slope::mpi throws), instead of MPI's default of aborting.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  rank_ = static_cast<std::size_t>(mpi::rank());
  size_ = static_cast<std::size_t>(mpi::size());
}

Processes::~Processes() {
  if (started_) MPI_Finalize();
}

int Processes::all_reduce(std::span<double> values, int status) const {
  if (!started_) return status;
  return mpi::all_reduce(values, status);
}

void Processes::settle(const std::exception_ptr& failure) const {
  if (all_reduce({}, failure ? 1 : 0) == 0) return;
  if (failure) std::rethrow_exception(failure);
  throw lang::PeerFailure();
}

}  // namespace slope::cli
