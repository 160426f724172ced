#pragma once
/// \file
/// The NumPy .npy reader: `np.save("X.npy", X)` in Python, `--data X=X.npy` on the command
/// line, `model.bind_data("X", read_npy("X.npy"))` in C++.
///
/// Formats 1.0, 2.0 and 3.0; arrays of 0, 1 or 2 dimensions (a scalar, a vector, a matrix), in
/// C or Fortran order (a Fortran-order matrix is transposed into rows). Element types: float64
/// is read as it is; float32, bool and integers of 8 to 64 bits are converted to double, which
/// is exact for every float32 and every integer of magnitude at most 2^53; a 64-bit integer
/// beyond that would be rounded and is an error. Either byte order is read.

#include <cstddef>
#include <filesystem>
#include <span>
#include <string_view>

#include "slope/lang/data.hpp"

namespace slope::lang {

/// Reads a .npy file. The file is memory-mapped and nothing is parsed but its header: a
/// little-endian float64 array in C order is not even copied (the matrix refers to the mapping
/// and keeps it alive); any other is converted once. Throws DataError naming the file and what
/// is wrong: not a .npy file, an unsupported version, element type or number of dimensions, a
/// malformed header, a file shorter or longer than its shape says, an integer that a double
/// cannot hold exactly.
[[nodiscard]] Array read_npy(const std::filesystem::path& path);

/// The same for the bytes of a .npy file in memory (always copied); `name` is used in messages.
[[nodiscard]] Array parse_npy(std::span<const std::byte> bytes, std::string_view name);

}  // namespace slope::lang
