#pragma once
/// \file
/// A data file's bytes as the readers see them: the file mapped into memory where the page
/// cache holds it (no copy), or read to the end when it cannot be mapped (a pipe, a /proc file
/// of size 0). Shared by the CSV and .npy readers.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace slope::lang::detail {

/// The bytes of one file, kept alive for as long as the object (or a copy of keep_alive()).
class MappedFile {
 public:
  /// Opens and maps (or reads) `path`. Throws DataError naming the file, without a line and
  /// column, when it cannot be opened or read (missing, a directory, no permission).
  explicit MappedFile(const std::filesystem::path& path);

  /// The file's name as messages show it.
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return bytes_; }
  [[nodiscard]] std::string_view text() const noexcept {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  /// Tells the kernel the bytes will be read once from start to end (a parse): it reads ahead
  /// more and may drop pages behind.
  void advise_sequential() const noexcept;
  /// Tells the kernel that the whole pages inside [begin, end) of text() are done with: a
  /// mapping drops them from the process's resident memory (they stay in the page cache, and
  /// a later read maps them again, unchanged). Nothing for a buffer. Why: a parse reads the
  /// text once, and the pages it has passed would otherwise stay resident, making a 200 MB CSV
  /// cost 200 MB of memory on top of the numbers it holds.
  void release(const char* begin, const char* end) const noexcept;
  /// Owns the mapping or the buffer: a Matrix that refers to bytes() holds a copy of it.
  [[nodiscard]] std::shared_ptr<const void> keep_alive() const noexcept { return storage_; }

 private:
  std::string name_;
  std::span<const std::byte> bytes_;
  std::shared_ptr<const void> storage_;
  bool mapped_ = false;
};

}  // namespace slope::lang::detail
