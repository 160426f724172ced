/// \file
/// The .npy reader: a 10- or 12-byte preamble, a Python dict literal as header
/// ("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }"), then the raw elements.
/// Format: numpy/lib/format.py (NEP 1).

#include "slope/lang/npy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mapped_file.hpp"
#include "slope/lang/errors.hpp"

namespace slope::lang {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

/// The element types read.
enum class Kind { Float, Signed, Unsigned, Bool };

/// What the header says.
struct Header {
  std::string descr;         ///< as written, e.g. "<f8"
  Kind kind = Kind::Float;
  std::size_t item_size = 8;
  bool swap = false;         ///< the elements' byte order is not this machine's
  bool fortran_order = false;
  std::vector<std::size_t> shape;
  std::size_t data_offset = 0;
};

[[noreturn]] void fail(std::string_view name, std::string message) {
  throw DataError(std::string(name), kNowhere, std::move(message));
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += fmt::format("{}{}", i == 0 ? "" : ", ", shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

/// Reads the header's Python dict literal: string keys; values that are strings, True/False,
/// or tuples of integers. Anything else is malformed (a structured dtype's list is named).
class DictReader {
 public:
  DictReader(std::string_view text, std::string_view name) : text_(text), name_(name) {}

  Header read() {
    Header header;
    bool has_descr = false;
    bool has_order = false;
    bool has_shape = false;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = string();
      expect(':');
      skip_space();
      if (key == "descr") {
        if (peek() == '[') {
          fail(name_, "structured arrays (a dtype with named fields) are not supported: save one plain array per "
                      "data name");
        }
        header.descr = string();
        has_descr = true;
      } else if (key == "fortran_order") {
        header.fortran_order = boolean();
        has_order = true;
      } else if (key == "shape") {
        header.shape = tuple();
        has_shape = true;
      } else {
        malformed(fmt::format("unexpected key '{}'", key));
      }
      skip_space();
      if (peek() == ',') ++at_;
    }
    if (!has_descr || !has_order || !has_shape) {
      malformed(fmt::format("no '{}'", !has_descr ? "descr" : !has_order ? "fortran_order" : "shape"));
    }
    return header;
  }

 private:
  [[noreturn]] void malformed(std::string_view what) const {
    fail(name_, fmt::format("the .npy header is malformed: {} (header: {})", what, shown()));
  }
  std::string shown() const {
    std::string_view t = text_;
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\0')) t.remove_suffix(1);
    return t.size() <= 100 ? std::string(t) : fmt::format("{}...", t.substr(0, 97));
  }
  [[nodiscard]] char peek() const noexcept { return at_ < text_.size() ? text_[at_] : '\0'; }
  void skip_space() noexcept {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\t')) ++at_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) malformed(fmt::format("expected '{}' at byte {} of the header", c, at_));
    ++at_;
  }
  std::string string() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') malformed(fmt::format("expected a string at byte {} of the header", at_));
    const std::size_t end = text_.find(quote, at_ + 1);
    if (end == std::string_view::npos) malformed("a string is not closed");
    std::string out(text_.substr(at_ + 1, end - at_ - 1));
    at_ = end + 1;
    return out;
  }
  bool boolean() {
    if (text_.substr(at_).starts_with("True")) return at_ += 4, true;
    if (text_.substr(at_).starts_with("False")) return at_ += 5, false;
    malformed("fortran_order is neither True nor False");
  }
  std::vector<std::size_t> tuple() {
    expect('(');
    std::vector<std::size_t> out;
    while (true) {
      skip_space();
      if (peek() == ')') break;
      std::size_t value = 0;
      const std::size_t begin = at_;
      while (peek() >= '0' && peek() <= '9') {
        const auto digit = static_cast<std::size_t>(peek() - '0');
        if (value > (std::numeric_limits<std::size_t>::max() - digit) / 10) malformed("a dimension is too large");
        value = value * 10 + digit;
        ++at_;
      }
      if (at_ == begin) malformed(fmt::format("expected a dimension at byte {} of the header", at_));
      if (peek() == 'L') ++at_;  // Python 2 wrote long integers as 3L
      out.push_back(value);
      skip_space();
      if (peek() == ',') {
        ++at_;
      } else if (peek() != ')') {
        malformed(fmt::format("expected ',' or ')' at byte {} of the header", at_));
      }
    }
    ++at_;
    return out;
  }

  std::string_view text_;
  std::string_view name_;
  std::size_t at_ = 0;
};

/// Checks the element type and fills kind, item_size and swap from descr.
void read_descr(Header& header, std::string_view name) {
  const std::string_view d = header.descr;
  const auto unsupported = [&] {
    fail(name, fmt::format("element type '{}' is not supported: use float64 ('<f8'), float32, an integer type or "
                           "bool",
                           d));
  };
  if (d.size() < 3) unsupported();
  const char order = d[0];
  const char kind = d[1];
  std::size_t size = 0;
  for (const char c : d.substr(2)) {
    if (c < '0' || c > '9') unsupported();
    size = size * 10 + static_cast<std::size_t>(c - '0');
  }
  switch (kind) {
    case 'f': header.kind = Kind::Float; if (size != 8 && size != 4) unsupported(); break;
    case 'i': header.kind = Kind::Signed; break;
    case 'u': header.kind = Kind::Unsigned; break;
    case 'b': header.kind = Kind::Bool; if (size != 1) unsupported(); break;
    default: unsupported();
  }
  if (size != 1 && size != 2 && size != 4 && size != 8) unsupported();
  header.item_size = size;
  const bool big = order == '>' || (order == '=' && std::endian::native == std::endian::big);
  const bool little = order == '<' || (order == '=' && std::endian::native == std::endian::little);
  if (!big && !little && order != '|') unsupported();
  header.swap = size > 1 && (big ? std::endian::native != std::endian::big : std::endian::native != std::endian::little);
}

std::uint32_t little_endian(std::span<const std::byte> bytes) {
  std::uint32_t value = 0;
  for (std::size_t i = bytes.size(); i-- > 0;) value = value << 8 | std::to_integer<std::uint32_t>(bytes[i]);
  return value;
}

Header read_header(std::span<const std::byte> bytes, std::string_view name) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!text.starts_with(kMagic)) {
    fail(name, "not a NumPy .npy file: it does not start with the bytes \\x93NUMPY");
  }
  if (bytes.size() < 10) fail(name, "the .npy file is cut short inside its preamble");
  const int major = std::to_integer<int>(bytes[6]);
  const int minor = std::to_integer<int>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0) {
    fail(name, fmt::format("unsupported .npy format version {}.{} (1.0, 2.0 and 3.0 are read)", major, minor));
  }
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  if (bytes.size() < 8 + length_bytes) fail(name, "the .npy file is cut short inside its preamble");
  const std::size_t length = little_endian(bytes.subspan(8, length_bytes));
  const std::size_t begin = 8 + length_bytes;
  if (bytes.size() - begin < length) {
    fail(name, fmt::format("the .npy file is cut short: its header says {} bytes, the file has {} after the preamble",
                           length, bytes.size() - begin));
  }
  Header header = DictReader(text.substr(begin, length), name).read();
  header.data_offset = begin + length;
  read_descr(header, name);
  if (header.shape.size() > 2) {
    fail(name, fmt::format("the array has {} dimensions (shape {}); a model's data has at most 2", header.shape.size(),
                           shape_text(header.shape)));
  }
  return header;
}

template <class T>
T load(const std::byte* p, bool swap) noexcept {
  std::byte raw[sizeof(T)];
  std::memcpy(raw, p, sizeof(T));
  if (swap) std::reverse(raw, raw + sizeof(T));
  T value;
  std::memcpy(&value, raw, sizeof(T));
  return value;
}

/// Element `index` as a double; nullopt for a 64-bit integer a double cannot hold exactly.
std::optional<double> element(const Header& h, const std::byte* data, std::size_t index) noexcept {
  const std::byte* p = data + index * h.item_size;
  constexpr std::int64_t kExact = std::int64_t{1} << 53;  // every integer up to here is a double
  switch (h.kind) {
    case Kind::Float: return h.item_size == 8 ? load<double>(p, h.swap) : static_cast<double>(load<float>(p, h.swap));
    case Kind::Bool: return std::to_integer<int>(*p) != 0 ? 1.0 : 0.0;
    case Kind::Signed: {
      std::int64_t v = 0;
      switch (h.item_size) {
        case 1: v = load<std::int8_t>(p, false); break;
        case 2: v = load<std::int16_t>(p, h.swap); break;
        case 4: v = load<std::int32_t>(p, h.swap); break;
        case 8: v = load<std::int64_t>(p, h.swap); break;  // read_descr admits only 1, 2, 4, 8
      }
      if (v > kExact || v < -kExact) return std::nullopt;
      return static_cast<double>(v);
    }
    case Kind::Unsigned: {
      std::uint64_t v = 0;
      switch (h.item_size) {
        case 1: v = load<std::uint8_t>(p, false); break;
        case 2: v = load<std::uint16_t>(p, h.swap); break;
        case 4: v = load<std::uint32_t>(p, h.swap); break;
        case 8: v = load<std::uint64_t>(p, h.swap); break;
      }
      if (v > std::uint64_t{kExact}) return std::nullopt;
      return static_cast<double>(v);
    }
  }
  return std::nullopt;
}

/// The array in `bytes`; refers to the bytes instead of copying them when `keep_alive` owns
/// them and the elements are already row-major doubles of this machine, suitably aligned.
Array decode(std::span<const std::byte> bytes, std::string_view name, std::shared_ptr<const void> keep_alive) {
  const Header h = read_header(bytes, name);
  Array out;
  out.rank = static_cast<int>(h.shape.size());
  Matrix& m = out.matrix;
  m.rows = h.shape.empty() ? 1 : h.shape[0];
  m.cols = h.shape.size() == 2 ? h.shape[1] : 1;
  m.origin = std::string(name);
  std::size_t count = 1;
  for (const std::size_t dim : h.shape) {
    if (dim != 0 && count > std::numeric_limits<std::size_t>::max() / h.item_size / dim) {
      fail(name, fmt::format("the shape {} is too large", shape_text(h.shape)));
    }
    count *= dim;
  }
  const std::size_t have = bytes.size() - h.data_offset;
  const std::size_t need = count * h.item_size;
  if (have != need) {
    fail(name, fmt::format("the file is {} than its header says: shape {} of '{}' takes {} bytes of data, the file "
                           "has {}",
                           have < need ? "shorter" : "longer", shape_text(h.shape), h.descr, need, have));
  }
  const std::byte* data = bytes.data() + h.data_offset;
  const bool row_major = !h.fortran_order || h.shape.size() < 2 || m.rows <= 1 || m.cols <= 1;
  const bool plain = h.kind == Kind::Float && h.item_size == 8 && !h.swap;
  if (keep_alive && plain && row_major && reinterpret_cast<std::uintptr_t>(data) % alignof(double) == 0) {
    m.borrowed = {reinterpret_cast<const double*>(data), count};
    m.keep_alive = std::move(keep_alive);
    return out;
  }
  m.values.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    // Row-major position i is (i / cols, i % cols); Fortran order stores it at col * rows + row.
    const std::size_t source = row_major ? i : i % m.cols * m.rows + i / m.cols;
    const std::optional<double> value = element(h, data, source);
    if (!value) {
      const std::string where = out.rank == 2 ? fmt::format("[{}, {}]", i / m.cols, i % m.cols) : fmt::format("[{}]", i);
      fail(name, fmt::format("element {} ('{}') is an integer of magnitude above 2^53, which a double cannot hold "
                             "exactly",
                             where, h.descr));
    }
    m.values[i] = *value;
  }
  return out;
}

}  // namespace

Array read_npy(const std::filesystem::path& path) {
  const detail::MappedFile file(path);
  return decode(file.bytes(), file.name(), file.keep_alive());
}

Array parse_npy(std::span<const std::byte> bytes, std::string_view name) { return decode(bytes, name, nullptr); }

}  // namespace slope::lang
