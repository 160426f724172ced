#pragma once
/// \file
/// (internal) A text cut into chunks at line breaks for the CSV reader's threads, and the
/// counting of its lines: each thread first counts its chunk's lines, so that every row knows
/// its place before any is parsed (csv.cpp).

#include <cstddef>
#include <exception>
#include <string_view>
#include <thread>
#include <vector>

#include "mapped_file.hpp"

namespace slope::lang::detail {

/// Bytes of a mapped file read between two releases of the pages behind (MappedFile::release).
inline constexpr std::size_t kReleaseEvery = std::size_t{4} << 20;

/// Runs task(0), ..., task(n - 1), each on its own thread (task 0 on the caller's). A thread
/// that cannot be started leaves its task to the caller, after its own.
template <class Task>
void run_parallel(std::size_t n, const Task& task) {
  std::vector<std::thread> threads;
  std::size_t started = 1;
  try {
    threads.reserve(n - 1);
    for (; started < n; ++started) threads.emplace_back(task, started);
  } catch (const std::exception&) {
  }
  task(0);
  for (std::size_t i = started; i < n; ++i) task(i);
  for (std::thread& thread : threads) thread.join();
}

/// The number of chunks to cut `bytes` of rows into for `threads` (0: one per core, chunks of
/// at least a megabyte).
std::size_t chunk_count(std::size_t bytes, unsigned threads);

/// Cuts `body` into `n` pieces of about equal size, each ending just after a line break (the
/// last one at the end of the text); some may be empty.
std::vector<std::string_view> cut(std::string_view body, std::size_t n);

/// The lines of a chunk: its line breaks, and one more for a last line without one. The pages of
/// `file` (when mapped; null: none) are released behind the count.
std::size_t line_count(std::string_view chunk, const MappedFile* file) noexcept;

/// `body` without the blank lines at its end (which may end a file), still ending in its last
/// row's line break if it has one.
std::string_view without_trailing_blank_lines(std::string_view body) noexcept;

/// The byte where line `line` (0-based) of `chunks` (cut from `body`) starts; first_line[k] is
/// the number of lines before chunk k.
std::size_t line_start(const std::vector<std::string_view>& chunks, const std::vector<std::size_t>& first_line,
                       std::size_t line, std::string_view body);

}  // namespace slope::lang::detail
