// The cost of slope::mpi::all_reduce of d doubles (what a split model pays per evaluation: one
// for the parts of its reductions over rows, one for the gradient), on the ranks mpirun gives:
//
//     mpirun -np 2 build/bench/benchmarks/slope_bench_mpi_all_reduce
//
// Prints, on rank 0, the median of 2001 calls' microseconds for each d. Ranks on one machine
// talk through shared memory, so this is a floor; docs/scaling.md adds a network's latency.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <slope/mpi.hpp>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  const int rank = slope::mpi::rank();
  for (const std::size_t d : {1u, 51u, 1000u, 100000u}) {
    std::vector<double> values(d, 1.0);
    std::vector<double> micros;
    for (int call = 0; call < 2001; ++call) {
      MPI_Barrier(MPI_COMM_WORLD);
      const auto start = std::chrono::steady_clock::now();
      (void)slope::mpi::all_reduce(values, 0);
      micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
    std::nth_element(micros.begin(), micros.begin() + 1000, micros.end());
    if (rank == 0) std::printf("%d ranks, d = %zu doubles: median %.2f us per all_reduce\n", slope::mpi::size(), d, micros[1000]);
  }
  MPI_Finalize();
  return 0;
}
