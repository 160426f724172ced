#include "mapped_file.hpp"

#include <cstdint>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "slope/lang/errors.hpp"

namespace slope::lang::detail {
namespace {

/// Closes a file descriptor.
struct Descriptor {
  int fd = -1;
  explicit Descriptor(int descriptor) noexcept : fd(descriptor) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

/// Unmaps a mapping when the last holder lets go of it.
struct Mapping {
  void* data = nullptr;
  std::size_t size = 0;
  Mapping(void* address, std::size_t length) noexcept : data(address), size(length) {}
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() { ::munmap(data, size); }
};

// The file as a whole, not a place in it: no line and column.
[[noreturn]] void file_error(const std::string& name, std::string_view what, int error) {
  throw DataError(name, kNowhere, fmt::format("cannot {} the file: {}", what, std::generic_category().message(error)));
}

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& path) : name_(path.string()) {
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) file_error(name_, "open", errno);
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) file_error(name_, "read", errno);
  if (S_ISDIR(info.st_mode)) file_error(name_, "read", EISDIR);
  if (S_ISREG(info.st_mode) && info.st_size > 0) {
    // Truncating the file while it is mapped would fault, as with any mapped file.
    const auto size = static_cast<std::size_t>(info.st_size);
    void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, file.fd, 0);
    if (data != MAP_FAILED) {
      auto mapping = std::make_shared<const Mapping>(data, size);
      bytes_ = {static_cast<const std::byte*>(data), size};
      storage_ = std::move(mapping);
      mapped_ = true;
      return;
    }
  }
  // Pipes, /proc files that report size 0, or a mapping refused: read it all.
  auto buffer = std::make_shared<std::vector<std::byte>>();
  std::byte chunk[1 << 16];
  while (true) {
    const ssize_t got = ::read(file.fd, chunk, sizeof chunk);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      file_error(name_, "read", errno);
    }
    buffer->insert(buffer->end(), chunk, chunk + got);
  }
  bytes_ = *buffer;
  storage_ = std::move(buffer);
}

void MappedFile::release(const char* begin, const char* end) const noexcept {
  if (!mapped_ || end <= begin) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::uintptr_t first = (reinterpret_cast<std::uintptr_t>(begin) + page - 1) / page * page;
  const std::uintptr_t last = reinterpret_cast<std::uintptr_t>(end) / page * page;
  // A private read-only file mapping whose pages were never written: dropping them loses
  // nothing, a later access faults them in again from the file.
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

void MappedFile::advise_sequential() const noexcept {
  // Only a mapping has pages to advise on (its start is page-aligned, as madvise needs).
  if (mapped_) ::madvise(const_cast<std::byte*>(bytes_.data()), bytes_.size(), MADV_SEQUENTIAL);
}

}  // namespace slope::lang::detail
