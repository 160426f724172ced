#pragma once
// slope::detail::FreeList: objects this thread lends out and takes back with their memory
// (private to the library's sources).

#include <cstddef>
#include <memory>
#include <vector>

namespace slope::detail {

/// The largest tape (in capacity bytes) a thread keeps idle: a very large recording's memory
/// goes back to the system rather than stay for the thread's life.
inline constexpr std::size_t kKeptTapeBytes = std::size_t{64} << 20;

/// This thread's idle objects of type T (tapes, kept between uses so that their buffers are
/// not allocated and paged in again). A borrower during another's use, as when f records or
/// differentiates inside a recording, gets an object of its own.
template <class T>
class FreeList {
 public:
  /// An idle object, or a new one.
  static std::unique_ptr<T> take() {
    std::vector<std::unique_ptr<T>>& idle = items();
    if (idle.empty()) {
      idle.reserve(idle.capacity() + 1);  // room for its return: give_back cannot throw
      return std::make_unique<T>();
    }
    std::unique_ptr<T> item = std::move(idle.back());
    idle.pop_back();
    return item;
  }
  /// Returns an object from take() to the idle ones.
  static void give_back(std::unique_ptr<T> item) noexcept { items().push_back(std::move(item)); }

 private:
  static std::vector<std::unique_ptr<T>>& items() noexcept {
    thread_local std::vector<std::unique_ptr<T>> idle;
    return idle;
  }
};

}  // namespace slope::detail
