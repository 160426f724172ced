#pragma once
// Replacements of every global operator new and delete that count the process's allocations
// (malloc and free underneath), for the tests that prove a loop allocates nothing. Include it
// in exactly one source file of an executable of its own: the replacements are definitions.
//
// Every form is replaced, so that each allocation and its release meet the same pair
// (std::stable_sort's buffer comes from the nothrow form; with only the plain forms replaced,
// AddressSanitizer saw its own operator new released by this free).

#include <atomic>
#include <cstdlib>
#include <new>

namespace slope::test {
/// Calls of operator new (any form) so far.
inline std::atomic<long> allocations{0};
}  // namespace slope::test

void* operator new(std::size_t size) {
  slope::test::allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  slope::test::allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
