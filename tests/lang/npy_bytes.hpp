#pragma once
/// \file
/// The bytes of .npy files, written as numpy.lib.format writes them, for tests that have no
/// NumPy at hand.

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace slope::test {

/// A .npy file: magic, version, header length, the header dict padded with spaces and a newline
/// to a multiple of 64 bytes, then `data` (see raw()).
inline std::string npy(std::string_view descr, std::string_view shape, std::string_view data, bool fortran = false,
                       int major = 1) {
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}", descr,
                                 fortran ? "True" : "False", shape);
  const std::size_t preamble = major == 1 ? 10 : 12;
  dict += std::string(63 - (preamble + dict.size()) % 64, ' ') + "\n";
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (std::size_t i = 0; i < preamble - 8; ++i) out += static_cast<char>((dict.size() >> (8 * i)) & 0xff);
  return out + dict + std::string(data);
}

/// The raw bytes of `values` as type T, in this machine's byte order or reversed.
template <class T>
std::string raw(const std::vector<T>& values, bool reversed = false) {
  std::string out;
  for (const T& v : values) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T));
    if (reversed) std::reverse(bytes, bytes + sizeof(T));
    out.append(bytes, sizeof(T));
  }
  return out;
}

}  // namespace slope::test
