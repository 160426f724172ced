#pragma once
// slope::detail::SharedArray: an array of a compiled Program that programs of one shape share
// (Function::share_memory_with), private to the library's sources.
//
// Functions recorded by one piece of code over equally sized data (a model's blocks of rows)
// compile to the same instructions, operand slots and coefficients; only the data they
// reference differ. Each keeps its own Program, but its large arrays can point at another's:
// one copy instead of hundreds, which for a model over millions of rows is the difference
// between a program the size of its data and one of a few kilobytes.
//
// Reading is as from a std::vector. Writing (compile.cpp, before anything is shared) copies
// first if the array is shared, so a write never changes another program.

#include <cstddef>
#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace slope::detail {

template <class T>
class SharedArray {
 public:
  SharedArray() : items_(std::make_shared<std::vector<T>>()) {}
  SharedArray& operator=(std::vector<T>&& items) {
    items_ = std::make_shared<std::vector<T>>(std::move(items));
    return *this;
  }

  [[nodiscard]] const T* data() const noexcept { return items_->data(); }
  [[nodiscard]] std::size_t size() const noexcept { return items_->size(); }
  [[nodiscard]] bool empty() const noexcept { return items_->empty(); }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return (*items_)[i]; }
  [[nodiscard]] const T& back() const noexcept { return items_->back(); }
  [[nodiscard]] const T* begin() const noexcept { return items_->data(); }
  [[nodiscard]] const T* end() const noexcept { return items_->data() + items_->size(); }

  [[nodiscard]] T& operator[](std::size_t i) { return own()[i]; }
  [[nodiscard]] T& back() { return own().back(); }
  void push_back(const T& item) { own().push_back(item); }
  void reserve(std::size_t n) { own().reserve(n); }
  void resize(std::size_t n) { own().resize(n); }
  void resize(std::size_t n, const T& item) { own().resize(n, item); }
  void clear() { own().clear(); }
  template <class It>
  void append(It first, It last) {
    own().insert(own().end(), first, last);
  }

  /// Points at `other`'s items if they are equal to this array's, numbers bit for bit (0.0 and
  /// -0.0 differ: sharing must not change a result's bits). Already the same: true.
  bool share_if_equal(const SharedArray& other) {
    if (items_ == other.items_) return true;
    if (!same_items(*items_, *other.items_)) return false;
    items_ = other.items_;
    return true;
  }
  /// Who holds the items: the same owner for arrays that share them (a workspace tells by it
  /// whether a program has the layout it was prepared for; see Function::prepare).
  [[nodiscard]] std::weak_ptr<const void> storage() const noexcept { return items_; }
  /// Bytes of the items (what sharing saves).
  [[nodiscard]] std::size_t bytes() const noexcept { return items_->size() * sizeof(T); }

 private:
  // Called at every write (compile pushes each instruction): the check stays inline, the
  // copy, which only a shared array makes, out of line.
  std::vector<T>& own() {
    if (items_.use_count() != 1) [[unlikely]] unshare();
    return *items_;
  }
  void unshare() { items_ = std::make_shared<std::vector<T>>(*items_); }

  static bool same_items(const std::vector<T>& a, const std::vector<T>& b) noexcept {
    if constexpr (std::is_arithmetic_v<T>) {  // no padding: compare the bits
      return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
    } else {
      return a == b;
    }
  }

  std::shared_ptr<std::vector<T>> items_;
};

}  // namespace slope::detail
