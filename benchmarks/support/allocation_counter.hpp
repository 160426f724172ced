#pragma once
/// \file
/// A count of the process's heap allocations, to show that a gradient allocates nothing.

#include <cstddef>

namespace slope::bench {

/// Calls of the global operator new so far in this process. The counting operator new lives
/// in allocation_counter.cpp; linking that file into an executable turns the count on.
[[nodiscard]] std::size_t allocation_count() noexcept;

}  // namespace slope::bench
