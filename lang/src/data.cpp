/// \file
/// The CSV reader: one pass over the text in memory, numbers parsed in place with
/// std::from_chars, no string per cell. The result holds only the selected numbers.

#include "slope/lang/data.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "slope/lang/errors.hpp"

namespace slope::lang {

Matrix Matrix::from_row_major(std::span<const double> values, std::size_t rows, std::size_t cols, std::string origin) {
  if (values.size() != rows * cols) {
    throw std::invalid_argument(
        fmt::format("Matrix::from_row_major: {} values for a {} x {} matrix", values.size(), rows, cols));
  }
  return Matrix{rows, cols, std::vector<double>(values.begin(), values.end()), std::move(origin)};
}

Matrix Matrix::from_vector(std::span<const double> values, std::string origin) {
  return Matrix{values.size(), 1, std::vector<double>(values.begin(), values.end()), std::move(origin)};
}

Matrix Matrix::view(std::span<const double> values, std::size_t rows, std::size_t cols, std::string origin) {
  if (values.size() != rows * cols) {
    throw std::invalid_argument(fmt::format("Matrix::view: {} values for a {} x {} matrix", values.size(), rows, cols));
  }
  return Matrix{rows, cols, {}, std::move(origin), values};
}

namespace {

using Index = std::uint32_t;  // SourceLocation's line and column type

constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/// A cell without its surrounding spaces and one pair of double quotes, if it has them.
std::string_view unquote(std::string_view cell) noexcept {
  cell = trim(cell);
  if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = trim(cell.substr(1, cell.size() - 2));
  return cell;
}

/// A header name: unquoted, with a doubled quote inside quotes read as one quote.
std::string header_name(std::string_view cell) {
  const std::string_view trimmed = trim(cell);
  const bool quoted = trimmed.size() >= 2 && trimmed.front() == '"' && trimmed.back() == '"';
  const std::string_view inner = unquote(cell);
  if (!quoted) return std::string(inner);
  std::string name;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    name += inner[i];
    if (inner[i] == '"' && i + 1 < inner.size() && inner[i + 1] == '"') ++i;
  }
  return name;
}

/// How a cell failed to be a number.
enum class CellProblem { None, Empty, NotANumber, TooLarge };

/// Parses a whole cell as a double. Allows surrounding spaces, one pair of quotes, a leading
/// '+' (which from_chars rejects), and the nan/inf spellings from_chars accepts.
CellProblem parse_number(std::string_view cell, double& out) noexcept {
  cell = unquote(cell);
  if (cell.empty()) return CellProblem::Empty;
  if (cell.front() == '+') {
    cell.remove_prefix(1);
    if (cell.empty() || cell.front() == '-' || cell.front() == '+') return CellProblem::NotANumber;
  }
  const char* first = cell.data();
  const char* last = first + cell.size();
  const auto [end, error] = std::from_chars(first, last, out);
  if (end != last) return CellProblem::NotANumber;
  if (error == std::errc::result_out_of_range) {
    // Underflow rounds to zero or a subnormal, as strtod does; overflow is an error, since an
    // infinite datum would only show up later as a diverged objective.
    const double value = std::strtod(std::string(cell).c_str(), nullptr);
    if (std::isinf(value)) return CellProblem::TooLarge;
    out = value;
    return CellProblem::None;
  }
  return error == std::errc{} ? CellProblem::None : CellProblem::NotANumber;
}

/// Parses a plain number (no spaces, quotes or '+') that fills the field starting at `p`, and
/// returns the field's end (a ',' or `end`); nullptr for anything else, which then takes the
/// general path. The number's own end finds the field's end, so its bytes are read once.
inline const char* parse_plain(const char* p, const char* end, double& out) noexcept {
  if (p == end || is_space(*p) || *p == '"' || *p == '+') return nullptr;
  const auto [stop, error] = std::from_chars(p, end, out);
  if (error != std::errc{}) return nullptr;
  if (stop == end || *stop == ',') return stop;
  return *stop == '\r' && stop + 1 == end ? end : nullptr;
}

/// The end of the field that starts at `p`: the next ',' that is not inside double quotes.
const char* field_end(const char* p, const char* end) noexcept {
  while (p != end && is_space(*p)) ++p;
  if (p != end && *p == '"') {
    for (++p; p != end; ++p) {
      if (*p != '"') continue;
      if (p + 1 != end && p[1] == '"') {
        ++p;
      } else {
        ++p;
        break;
      }
    }
  }
  const void* comma = std::memchr(p, ',', static_cast<std::size_t>(end - p));
  return comma != nullptr ? static_cast<const char*>(comma) : end;
}

/// The fields of one line (used for the first row only: data rows are never split into views).
std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  const char* p = line.data();
  const char* end = p + line.size();
  while (true) {
    const char* stop = field_end(p, end);
    fields.emplace_back(p, static_cast<std::size_t>(stop - p));
    if (stop == end) return fields;
    p = stop + 1;
  }
}

/// Walks the lines of a text, numbering them from 1.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  /// The next line without its line break (a trailing '\r' stays: cells trim it), or nullopt.
  std::optional<std::string_view> next() noexcept {
    if (p_ == end_) return std::nullopt;
    const void* newline = std::memchr(p_, '\n', static_cast<std::size_t>(end_ - p_));
    const char* stop = newline != nullptr ? static_cast<const char*>(newline) : end_;
    const std::string_view line(p_, static_cast<std::size_t>(stop - p_));
    p_ = stop == end_ ? end_ : stop + 1;
    ++number_;
    return line;
  }
  /// The number of the line next() returned last.
  [[nodiscard]] Index number() const noexcept { return number_; }
  /// True when only blank lines remain.
  [[nodiscard]] bool rest_is_blank() const noexcept {
    return std::all_of(p_, end_, [](char c) { return is_space(c) || c == '\r' || c == '\n'; });
  }

 private:
  const char* p_;
  const char* end_;
  Index number_ = 0;
};

bool is_blank(std::string_view line) noexcept { return trim(line).empty(); }

Index to_index(std::size_t n) noexcept {
  return static_cast<Index>(std::min<std::size_t>(n, std::numeric_limits<Index>::max()));
}

/// A cell shortened for a message.
std::string shown(std::string_view cell) {
  cell = trim(cell);
  return cell.size() <= 40 ? std::string(cell) : fmt::format("{}...", cell.substr(0, 37));
}

/// "x1, x2, x3" (at most 12 names), for a message about an unknown column.
std::string name_list(const std::vector<std::string>& names) {
  std::string list;
  for (std::size_t i = 0; i < names.size() && i < 12; ++i) list += fmt::format("{}{}", i == 0 ? "" : ", ", names[i]);
  if (names.size() > 12) list += fmt::format(", ... ({} in all)", names.size());
  return list;
}

std::optional<std::size_t> parse_index(std::string_view s) noexcept {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc{} || end != s.data() + s.size()) return std::numeric_limits<std::size_t>::max();
  return value;
}

/// The table's first row as the column selection sees it.
struct Columns {
  std::string_view file;
  Index line = 1;                    ///< the header's line, or the first data row's
  std::size_t count = 0;             ///< fields per row
  std::vector<std::string> names;    ///< empty without a header

  [[noreturn]] void fail(std::string message) const { throw DataError(std::string(file), {line, 1}, std::move(message)); }

  std::size_t index(std::string_view text, std::size_t number) const {
    if (number == 0) fail(fmt::format("column {} does not exist: columns are numbered from 1", text));
    if (number > count) {
      fail(fmt::format("column {} does not exist: the file has {} column{}", text, count, count == 1 ? "" : "s"));
    }
    return number - 1;
  }

  std::size_t by_name(std::string_view name) const {
    if (names.empty()) {
      fail(fmt::format("no column named \"{}\": the file has no header, so pick columns by number (from 1)", name));
    }
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) fail(fmt::format("no column named \"{}\" (the header has {})", name, name_list(names)));
    const auto again = std::find(found + 1, names.end(), name);
    if (again != names.end()) {
      fail(fmt::format("column name \"{}\" is ambiguous: columns {} and {} have it", name, found - names.begin() + 1,
                       again - names.begin() + 1));
    }
    return static_cast<std::size_t>(found - names.begin());
  }

  bool has_name(std::string_view name) const { return std::find(names.begin(), names.end(), name) != names.end(); }

  /// A range's end: a number or a header name.
  std::size_t endpoint(std::string_view text) const {
    if (text.empty()) fail("a column range needs a column at each end, as in 2-31 or x1-x5");
    if (const auto number = parse_index(text)) return index(text, *number);
    return by_name(header_name(text));
  }

  /// "A-B" split at the first '-' whose left side is a column (a number or a header name; a
  /// name may contain '-'); nullopt when no left side is.
  std::optional<std::pair<std::string_view, std::string_view>> split_range(std::string_view item) const {
    for (std::size_t dash = item.find('-', 1); dash != std::string_view::npos; dash = item.find('-', dash + 1)) {
      const std::string_view low = trim(item.substr(0, dash));
      if (parse_index(low) || has_name(header_name(low))) return std::pair{low, trim(item.substr(dash + 1))};
    }
    return std::nullopt;
  }

  /// 0-based field indices, in the order `spec` names them (all columns when it is empty).
  std::vector<std::size_t> select(std::string_view spec) const {
    std::vector<std::size_t> picked;
    if (trim(spec).empty()) {
      for (std::size_t i = 0; i < count; ++i) picked.push_back(i);
      return picked;
    }
    for (const std::string_view raw : split(spec)) {
      const std::string_view item = trim(raw);
      if (item.empty()) fail(fmt::format("the column list \"{}\" has an empty entry", spec));
      if (const auto number = parse_index(item)) {
        picked.push_back(index(item, *number));
      } else if (has_name(header_name(item))) {
        picked.push_back(by_name(header_name(item)));
      } else if (const auto range = split_range(item)) {
        const std::size_t first = endpoint(range->first);
        const std::size_t last = endpoint(range->second);
        if (last < first) {
          fail(fmt::format("column range \"{}\" is backwards: column {} comes after column {}", item, first + 1,
                           last + 1));
        }
        for (std::size_t i = first; i <= last; ++i) picked.push_back(i);
      } else {
        picked.push_back(by_name(header_name(item)));
      }
    }
    return picked;
  }
};

[[noreturn]] void cell_error(std::string_view file, Index line, std::size_t field, CellProblem problem,
                             std::string_view cell) {
  const SourceLocation where{line, to_index(field + 1)};
  switch (problem) {
    case CellProblem::Empty: throw DataError(std::string(file), where, "empty cell, expected a number");
    case CellProblem::TooLarge:
      throw DataError(std::string(file), where, fmt::format("number \"{}\" is too large for a double", shown(cell)));
    default: throw DataError(std::string(file), where, fmt::format("cell \"{}\" is not a number", shown(cell)));
  }
}

}  // namespace

Matrix parse_csv(std::string_view text, std::string_view name, std::string_view columns) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte-order mark
  LineReader lines(text);
  std::optional<std::string_view> first = lines.next();
  if (!first || (is_blank(*first) && lines.rest_is_blank())) {
    throw DataError(std::string(name), {1, 1}, "the file is empty");
  }
  if (is_blank(*first)) throw DataError(std::string(name), {1, 1}, "blank line before the first row");

  const std::vector<std::string_view> first_fields = split(*first);
  bool header = false;
  for (const std::string_view cell : first_fields) {
    double ignored = 0.0;
    if (parse_number(cell, ignored) == CellProblem::NotANumber) header = true;
  }
  Columns table{name, lines.number(), first_fields.size(), {}};
  if (header) {
    for (const std::string_view cell : first_fields) table.names.push_back(header_name(cell));
  }
  const std::vector<std::size_t> picked = table.select(columns);

  // Which fields to parse: the others are only counted, so a text column may sit beside the
  // numbers as long as it is not selected.
  std::vector<char> wanted(table.count, 0);
  for (const std::size_t i : picked) wanted[i] = 1;
  std::vector<double> row(table.count, 0.0);

  Matrix out;
  out.cols = picked.size();
  out.origin = trim(columns).empty() ? std::string(name) : fmt::format("{}:{}", name, trim(columns));
  // Every line break ends at most one row: reserving that many rows makes the numbers the only
  // allocation that grows with the file, and it never reallocates.
  const auto breaks = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  out.values.reserve((breaks + 1) * out.cols);

  std::optional<std::string_view> line = header ? lines.next() : first;
  for (; line; line = lines.next()) {
    if (is_blank(*line)) {
      if (lines.rest_is_blank()) break;
      throw DataError(std::string(name), {lines.number(), 1}, "blank line between rows");
    }
    const char* p = line->data();
    const char* end = p + line->size();
    std::size_t field = 0;
    while (true) {
      const char* stop = nullptr;
      if (field < table.count && wanted[field] != 0) {
        stop = parse_plain(p, end, row[field]);
        if (stop == nullptr) {
          stop = field_end(p, end);
          const std::string_view cell(p, static_cast<std::size_t>(stop - p));
          const CellProblem problem = parse_number(cell, row[field]);
          if (problem != CellProblem::None) cell_error(name, lines.number(), field, problem, cell);
        }
      } else {
        stop = field_end(p, end);
      }
      ++field;
      if (stop == end) break;
      p = stop + 1;
    }
    if (field != table.count) {
      throw DataError(std::string(name), {lines.number(), to_index(std::min(field, table.count) + 1)},
                      fmt::format("row has {} field{}, expected {} as in line {}", field, field == 1 ? "" : "s",
                                  table.count, table.line));
    }
    for (const std::size_t i : picked) out.values.push_back(row[i]);
    ++out.rows;
  }
  if (out.rows == 0) throw DataError(std::string(name), {table.line + 1, 1}, "no rows of numbers after the header");
  return out;
}

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

/// Unmaps a mapping.
struct Mapping {
  void* data = nullptr;
  std::size_t size = 0;
  Mapping(void* address, std::size_t length) noexcept : data(address), size(length) {}
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (data != nullptr) ::munmap(data, size);
  }
};

[[noreturn]] void file_error(const std::string& name, std::string_view what, int error) {
  throw DataError(name, {1, 1}, fmt::format("cannot {} the file: {}", what, std::generic_category().message(error)));
}

}  // namespace

Matrix read_csv(const std::filesystem::path& path, std::string_view columns) {
  const std::string name = path.string();
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) file_error(name, "open", errno);
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) file_error(name, "read", errno);
  if (S_ISDIR(info.st_mode)) file_error(name, "read", EISDIR);
  if (S_ISREG(info.st_mode) && info.st_size > 0) {
    // A regular file is parsed where the page cache holds it: no copy, and the only memory
    // that grows with the file is the numbers. (Truncating the file while it is read would
    // fault, as with any mapped file.)
    const auto size = static_cast<std::size_t>(info.st_size);
    void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, file.fd, 0);
    if (data != MAP_FAILED) {
      const Mapping mapping{data, size};
      ::madvise(data, size, MADV_SEQUENTIAL);
      return parse_csv(std::string_view(static_cast<const char*>(data), size), name, columns);
    }
  }
  // Pipes, /proc files that report size 0, or a mapping refused: read it all.
  std::string text;
  char chunk[1 << 16];
  while (true) {
    const ssize_t got = ::read(file.fd, chunk, sizeof chunk);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      file_error(name, "read", errno);
    }
    text.append(chunk, static_cast<std::size_t>(got));
  }
  return parse_csv(text, name, columns);
}

}  // namespace slope::lang
