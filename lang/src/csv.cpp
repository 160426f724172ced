/// \file
/// The CSV reader: numbers parsed in place with std::from_chars, no string per cell, on all
/// cores. After the header, the text is cut into chunks at line breaks; each thread parses its
/// chunks straight into their rows of the result, so the numbers are the same bits whatever the
/// number of threads, and an error is the first one in file order, with its true line number.

#include "slope/lang/data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "mapped_file.hpp"
#include "text_chunks.hpp"
#include "slope/lang/errors.hpp"

namespace slope::lang {

namespace {

using detail::chunk_count;
using detail::cut;
using detail::kReleaseEvery;
using detail::line_count;
using detail::line_start;
using detail::run_parallel;
using detail::without_trailing_blank_lines;

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

/// An error found in a chunk, kept until the chunks before it are known to be clean: only then
/// is it the first error in the file, and only then is its line number known.
struct PendingError {
  Index line = 0;  ///< within the chunk, from 1
  Index column = 1;
  std::string message;
};

PendingError cell_error(Index line, std::size_t field, CellProblem problem, std::string_view cell) {
  const Index column = to_index(field + 1);
  switch (problem) {
    case CellProblem::Empty: return {line, column, "empty cell, expected a number"};
    case CellProblem::TooLarge: return {line, column, fmt::format("number \"{}\" is too large for a double", shown(cell))};
    case CellProblem::NotANumber:
    case CellProblem::None:  // never reported: parse_number found no problem
      break;
  }
  return {line, column, fmt::format("cell \"{}\" is not a number", shown(cell))};
}

/// How every data row is read: its field count and the fields to keep, in order.
struct RowLayout {
  std::size_t count = 0;             ///< fields per row
  Index header_line = 1;             ///< the line the count comes from, for messages
  std::vector<char> wanted;          ///< per field: parse it (1) or only count it (0)
  /// Per selection of columns (one Matrix each): its fields, in the order the columns name them.
  std::vector<std::vector<std::size_t>> picked;
};

/// What parsing one chunk found.
struct ChunkResult {
  std::size_t rows = 0;
  std::optional<PendingError> error;  ///< the chunk's first error; parsing stops there
  Index trailing_blank = 0;           ///< the first of blank lines that run to the chunk's end (0: none)
  std::exception_ptr failure;         ///< anything else (out of memory), rethrown on the caller's thread
};

/// Parses the rows of `chunk` (whole lines) into `outs`, picked[s].size() numbers per row into
/// outs[s], releasing the pages of `file` (when mapped) behind the parse.
void parse_rows(std::string_view chunk, const RowLayout& layout, std::vector<double*> outs, ChunkResult& result,
                const detail::MappedFile* file) {
  LineReader lines(chunk);
  std::vector<double> row(layout.count, 0.0);
  const char* released = chunk.data();
  while (const std::optional<std::string_view> line = lines.next()) {
    if (file != nullptr && static_cast<std::size_t>(line->data() - released) >= kReleaseEvery) {
      file->release(released, line->data());
      released = line->data();
    }
    if (is_blank(*line)) {
      // Blank lines may end the file; they may not separate rows. Whether rows follow in a
      // later chunk is for the caller to see.
      if (lines.rest_is_blank()) {
        result.trailing_blank = lines.number();
        return;
      }
      result.error = PendingError{lines.number(), 1, "blank line between rows"};
      return;
    }
    const char* p = line->data();
    const char* end = p + line->size();
    std::size_t field = 0;
    while (true) {
      const char* stop = nullptr;
      if (field < layout.count && layout.wanted[field] != 0) {
        stop = parse_plain(p, end, row[field]);
        if (stop == nullptr) {
          stop = field_end(p, end);
          const std::string_view cell(p, static_cast<std::size_t>(stop - p));
          const CellProblem problem = parse_number(cell, row[field]);
          if (problem != CellProblem::None) {
            result.error = cell_error(lines.number(), field, problem, cell);
            return;
          }
        }
      } else {
        stop = field_end(p, end);
      }
      ++field;
      if (stop == end) break;
      p = stop + 1;
    }
    if (field != layout.count) {
      result.error = PendingError{lines.number(), to_index(std::min(field, layout.count) + 1),
                                  fmt::format("row has {} field{}, expected {} as in line {}", field,
                                              field == 1 ? "" : "s", layout.count, layout.header_line)};
      return;
    }
    for (std::size_t s = 0; s < outs.size(); ++s) {
      for (const std::size_t i : layout.picked[s]) *outs[s]++ = row[i];
    }
    ++result.rows;
  }
}

/// parse_csv of each selection of `columns` (one Matrix each, the text parsed once), releasing
/// the pages of `file` (the text's mapping, or null) behind the parse; with `block`, only that
/// block of the rows (their number in all in *total_rows).
std::vector<Matrix> parse_text(std::string_view text, std::string_view name, std::span<const std::string_view> columns,
                               unsigned threads, const detail::MappedFile* file, const RowBlock* block = nullptr,
                               std::size_t* total_rows = nullptr) {
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
  RowLayout layout{table.count, table.line, std::vector<char>(table.count, 0), {}};
  std::vector<Matrix> outs(columns.size());
  for (std::size_t s = 0; s < columns.size(); ++s) {
    layout.picked.push_back(table.select(columns[s]));
    // The fields not picked are only counted, so a text column may sit beside the numbers as
    // long as it is not selected.
    for (const std::size_t i : layout.picked[s]) layout.wanted[i] = 1;
    outs[s].cols = layout.picked[s].size();
    outs[s].origin = trim(columns[s]).empty() ? std::string(name) : fmt::format("{}:{}", name, trim(columns[s]));
  }

  // The rows start at the first line, or on the line after the header.
  std::string_view body = text;
  if (header) {
    const auto after = static_cast<std::size_t>(first->data() + first->size() - text.data());
    body = after < text.size() ? text.substr(after + 1) : std::string_view{};
  }
  std::size_t skipped = 0;  // rows before the block
  if (block != nullptr) {
    // Count the lines of the whole file (memchr speed, on every thread), then parse only the
    // block's: its rows are [rows * part / parts, rows * (part + 1) / parts).
    body = without_trailing_blank_lines(body);
    const std::vector<std::string_view> all = cut(body, chunk_count(body.size(), threads));
    std::vector<std::size_t> lines_before(all.size() + 1, 0);
    run_parallel(all.size(), [&](std::size_t k) { lines_before[k + 1] = line_count(all[k], file); });
    for (std::size_t k = 0; k < all.size(); ++k) lines_before[k + 1] += lines_before[k];
    const std::size_t rows = lines_before.back();
    *total_rows = rows;
    if (rows < block->parts) {
      throw DataError(std::string(name), kNowhere,
                      fmt::format("the file has {} row{}, fewer than the {} processes that share its rows", rows,
                                  rows == 1 ? "" : "s", block->parts));
    }
    skipped = block->begin(rows);
    const std::size_t from = line_start(all, lines_before, skipped, body);
    const std::size_t to = block->end(rows) == rows ? body.size() : line_start(all, lines_before, block->end(rows), body);
    body = body.substr(from, to - from);
    for (Matrix& out : outs) out.first_row = skipped;
  }
  const std::vector<std::string_view> chunks = cut(body, chunk_count(body.size(), threads));
  const std::size_t n = chunks.size();

  // First the lines of each chunk: a chunk's rows start at the row of its first line (every
  // line before it is a row, or there is an error before it), so each thread writes its rows
  // in place and the numbers are never copied or reallocated.
  std::vector<std::size_t> first_line(n + 1, 0);
  run_parallel(n, [&](std::size_t k) { first_line[k + 1] = line_count(chunks[k], file); });
  for (std::size_t k = 0; k < n; ++k) first_line[k + 1] += first_line[k];
  // Each selection's numbers go to a buffer its Matrix keeps alive and views: not zeroed first
  // (a vector would be, on one thread), so its pages are first touched by the threads that
  // parse into them.
  std::vector<std::shared_ptr<double[]>> buffers;
  for (const Matrix& out : outs) buffers.push_back(std::make_shared_for_overwrite<double[]>(first_line[n] * out.cols));

  std::vector<ChunkResult> results(n);
  run_parallel(n, [&](std::size_t k) {
    try {
      std::vector<double*> at;  // chunk k's first row in each selection
      for (std::size_t s = 0; s < outs.size(); ++s) at.push_back(buffers[s].get() + first_line[k] * outs[s].cols);
      parse_rows(chunks[k], layout, std::move(at), results[k], file);
    } catch (...) {
      results[k].failure = std::current_exception();
    }
  });

  // The first problem in file order wins, whichever thread found it.
  std::size_t rows = 0;
  const Index first_row_line = to_index((header ? table.line + 1 : table.line) + skipped);
  std::optional<Index> blank;  // blank lines that ran to the end of an earlier chunk
  for (std::size_t k = 0; k < n; ++k) {
    const ChunkResult& result = results[k];
    if (result.failure) std::rethrow_exception(result.failure);
    const Index base = to_index(first_row_line - 1 + first_line[k]);
    if (blank && (result.rows > 0 || result.error)) {
      throw DataError(std::string(name), {*blank, 1}, "blank line between rows");
    }
    if (result.error) {
      throw DataError(std::string(name), {to_index(std::size_t{base} + result.error->line), result.error->column},
                      result.error->message);
    }
    if (result.trailing_blank != 0 && !blank) blank = to_index(std::size_t{base} + result.trailing_blank);
    rows += result.rows;
  }
  if (rows == 0) throw DataError(std::string(name), {table.line + 1, 1}, "no rows of numbers after the header");
  for (std::size_t s = 0; s < outs.size(); ++s) {
    outs[s].rows = rows;
    // The first rows * cols numbers: the room kept for trailing blank lines stays unused.
    outs[s].borrowed = std::span<const double>(buffers[s].get(), rows * outs[s].cols);
    outs[s].keep_alive = std::move(buffers[s]);
  }
  return outs;
}

/// The one Matrix of a single selection.
Matrix only(std::vector<Matrix> outs) { return std::move(outs.front()); }

}  // namespace

Matrix parse_csv(std::string_view text, std::string_view name, std::string_view columns, unsigned threads) {
  return only(parse_text(text, name, {&columns, 1}, threads, nullptr));
}

Matrix read_csv(const std::filesystem::path& path, std::string_view columns, unsigned threads) {
  return only(read_csv_selections(path, {&columns, 1}, threads));
}

std::vector<Matrix> read_csv_selections(const std::filesystem::path& path, std::span<const std::string_view> selections,
                                        unsigned threads) {
  const detail::MappedFile file(path);
  file.advise_sequential();
  return parse_text(file.text(), file.name(), selections, threads, &file);
}

Matrix read_csv_block(const std::filesystem::path& path, std::string_view columns, RowBlock block,
                      std::size_t& total_rows, unsigned threads) {
  return only(read_csv_block_selections(path, {&columns, 1}, block, total_rows, threads));
}

std::vector<Matrix> read_csv_block_selections(const std::filesystem::path& path,
                                              std::span<const std::string_view> selections, RowBlock block,
                                              std::size_t& total_rows, unsigned threads) {
  const detail::MappedFile file(path);
  file.advise_sequential();
  return parse_text(file.text(), file.name(), selections, threads, &file, &block, &total_rows);
}

Matrix parse_csv_block(std::string_view text, std::string_view name, std::string_view columns, RowBlock block,
                       std::size_t& total_rows, unsigned threads) {
  return only(parse_text(text, name, {&columns, 1}, threads, nullptr, &block, &total_rows));
}

Matrix take_rows(Matrix m, std::size_t begin, std::size_t end) {
  Matrix out;
  out.rows = end - begin;
  out.cols = m.cols;
  out.origin = std::move(m.origin);
  out.first_row = m.first_row + begin;
  const std::span<const double> rows = m.entries().subspan(begin * m.cols, out.rows * m.cols);
  if (m.values.empty()) {  // a view: a view of its rows, keeping the owner alive
    out.borrowed = rows;
    out.keep_alive = std::move(m.keep_alive);
  } else {
    out.values.assign(rows.begin(), rows.end());
  }
  return out;
}

}  // namespace slope::lang
