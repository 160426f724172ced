#include "text_chunks.hpp"

#include <algorithm>
#include <cstdint>

namespace slope::lang::detail {

/// Chunks below this size are not worth a thread of their own (when the caller lets the reader
/// choose the number of threads).
constexpr std::size_t kMinChunkBytes = std::size_t{1} << 20;

std::size_t chunk_count(std::size_t bytes, unsigned threads) {
  if (threads > 0) return threads;
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<std::size_t>(bytes / kMinChunkBytes, 1, cores);
}

std::vector<std::string_view> cut(std::string_view body, std::size_t n) {
  std::vector<std::string_view> chunks;
  std::size_t begin = 0;
  for (std::size_t k = 1; k <= n; ++k) {
    std::size_t end = body.size();
    if (k < n) {
      // body.size() * k / n without overflow; then on to the end of that line.
      const std::size_t ideal = body.size() / n * k + body.size() % n * k / n;
      const std::size_t newline = body.find('\n', std::max(begin, ideal == 0 ? 0 : ideal - 1));
      end = newline == std::string_view::npos ? body.size() : newline + 1;
    }
    chunks.push_back(body.substr(begin, end - begin));
    begin = end;
  }
  return chunks;
}

namespace {

/// The line breaks in `text`. Counted 255 bytes at a time into one byte, a loop the compiler
/// vectorizes (std::count adds each byte's match into a size_t: 8x slower on a 95 MB file).
std::size_t line_breaks(std::string_view text) noexcept {
  std::size_t breaks = 0;
  for (std::size_t at = 0; at < text.size(); at += 255) {
    const std::size_t end = std::min(text.size(), at + 255);
    std::uint8_t in_piece = 0;
    for (std::size_t i = at; i < end; ++i) in_piece += static_cast<std::uint8_t>(text[i] == '\n');
    breaks += in_piece;
  }
  return breaks;
}

}  // namespace

std::size_t line_count(std::string_view chunk, const MappedFile* file) noexcept {
  std::size_t breaks = 0;
  for (std::size_t at = 0; at < chunk.size(); at += kReleaseEvery) {
    const std::string_view slice = chunk.substr(at, kReleaseEvery);
    breaks += line_breaks(slice);
    if (file != nullptr) file->release(slice.data(), slice.data() + slice.size());
  }
  return breaks + (!chunk.empty() && chunk.back() != '\n' ? 1 : 0);
}

std::string_view without_trailing_blank_lines(std::string_view body) noexcept {
  std::size_t end = body.size();
  while (end > 0 && (body[end - 1] == ' ' || body[end - 1] == '\t' || body[end - 1] == '\r' || body[end - 1] == '\n')) --end;
  const std::size_t newline = body.find('\n', end);
  return body.substr(0, newline == std::string_view::npos ? body.size() : newline + 1);
}

std::size_t line_start(const std::vector<std::string_view>& chunks, const std::vector<std::size_t>& first_line,
                       std::size_t line, std::string_view body) {
  std::size_t k = 0;
  while (k + 1 < chunks.size() && first_line[k + 1] <= line) ++k;
  std::size_t at = static_cast<std::size_t>(chunks[k].data() - body.data());
  for (std::size_t skip = line - first_line[k]; skip > 0; --skip) at = body.find('\n', at) + 1;
  return at;
}

}  // namespace slope::lang::detail
