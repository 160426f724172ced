#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "slope/mpi.hpp"

namespace slope::mpi {

namespace {

void check(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw slope::Error(fmt::format("slope::mpi: {} failed: {}", what, std::string_view(text, static_cast<std::size_t>(length))));
}

}  // namespace

int rank(MPI_Comm comm) {
  int r = 0;
  check(MPI_Comm_rank(comm, &r), "MPI_Comm_rank");
  return r;
}

int size(MPI_Comm comm) {
  int s = 1;
  check(MPI_Comm_size(comm, &s), "MPI_Comm_size");
  return s;
}

int all_reduce(std::span<double> values, int status, MPI_Comm comm) {
  const int ranks = size(comm);
  const std::size_t width = values.size() + 1;  // the values, then the status
  if (width > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw slope::Error("slope::mpi: all_reduce of more values than an MPI count holds");
  }
  std::vector<double> mine;
  mine.reserve(width);
  mine.assign(values.begin(), values.end());
  mine.push_back(static_cast<double>(status));
  std::vector<double> all(width * static_cast<std::size_t>(ranks));
  // Gathering every rank's values and adding them in rank order, rather than MPI_Allreduce with
  // MPI_SUM, whose order of additions MPI does not fix: the sums must be the same bits on every
  // rank (they all take the same optimizer steps) and on every run.
  check(MPI_Allgather(mine.data(), static_cast<int>(width), MPI_DOUBLE, all.data(), static_cast<int>(width), MPI_DOUBLE,
                      comm),
        "MPI_Allgather");
  std::fill(values.begin(), values.end(), 0.0);
  int worst = 0;
  for (int r = 0; r < ranks; ++r) {
    const double* row = all.data() + static_cast<std::size_t>(r) * width;
    for (std::size_t i = 0; i < values.size(); ++i) values[i] += row[i];
    worst = std::max(worst, static_cast<int>(row[values.size()]));
  }
  return worst;
}

}  // namespace slope::mpi
