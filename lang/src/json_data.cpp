/// \file
/// The JSON data reader: nlohmann::json parses the text (a private dependency, header-only),
/// then each member is checked for its shape and copied into a Matrix.

#include "slope/lang/json_data.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "mapped_file.hpp"
#include "slope/lang/errors.hpp"

namespace slope::lang {
namespace {

using Json = nlohmann::ordered_json;  // members in file order, so errors come in file order too

/// Where a value sits, as JSON paths are written: X, X[2], X[2][0].
std::string path(std::string_view member, std::optional<std::size_t> row = {}, std::optional<std::size_t> col = {}) {
  std::string out(member);
  if (row) out += fmt::format("[{}]", *row);
  if (col) out += fmt::format("[{}]", *col);
  return out;
}

/// What a JSON value is, for "found ..." in messages.
std::string found(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      return s.size() <= 40 ? fmt::format("the string \"{}\"", s) : fmt::format("the string \"{}...\"", s.substr(0, 37));
    }
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    case Json::value_t::binary: return "binary data";
    case Json::value_t::discarded: return "a discarded value";
  }
  return "a value";
}

class MemberReader {
 public:
  MemberReader(std::string_view file, std::string_view member) : file_(file), member_(member) {}

  [[noreturn]] void fail(const std::string& where, std::string_view message) const {
    throw DataError(std::string(file_), kNowhere, fmt::format("{}: {}", where, message));
  }

  /// A number, or one of CmdStan's strings for the numbers JSON cannot write.
  double number(const Json& value, const std::string& where) const {
    if (value.is_number()) {
      const double x = value.get<double>();
      // JSON has no infinities: an infinite number is a literal too large for a double.
      if (std::isinf(x)) fail(where, "the number is too large for a double");
      return x;
    }
    if (value.is_string()) {
      const auto& s = value.get_ref<const std::string&>();
      if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
      if (s == "Inf" || s == "Infinity" || s == "+Inf" || s == "+Infinity") return std::numeric_limits<double>::infinity();
      if (s == "-Inf" || s == "-Infinity") return -std::numeric_limits<double>::infinity();
    }
    const char* after = value.is_array() ? " (a model's data has at most 2 dimensions)" : "";
    fail(where, fmt::format("expected a number, found {}{}", found(value), after));
  }

  Array read(const Json& value) const {
    Array out;
    Matrix& m = out.matrix;
    m.origin = fmt::format("{} in {}", member_, file_);
    if (!value.is_array()) {
      if (!value.is_number() && !value.is_string()) {
        fail(path(member_), fmt::format("expected a number, an array of numbers or an array of rows, found {}",
                                        found(value)));
      }
      out.rank = 0;
      m.rows = m.cols = 1;
      m.values = {number(value, path(member_))};
      return out;
    }
    // The first element decides: numbers make a vector, arrays make the rows of a matrix.
    const bool matrix = !value.empty() && value.front().is_array();
    out.rank = matrix ? 2 : 1;
    m.rows = value.size();
    m.cols = matrix ? value.front().size() : 1;
    m.values.reserve(m.rows * m.cols);
    for (std::size_t r = 0; r < value.size(); ++r) {
      const Json& row = value[r];
      if (!matrix) {
        m.values.push_back(number(row, path(member_, r)));
        continue;
      }
      if (!row.is_array()) {
        fail(path(member_, r), fmt::format("expected a row (an array of numbers) as {} is, found {}", path(member_, 0),
                                           found(row)));
      }
      if (row.size() != m.cols) {
        fail(path(member_, r), fmt::format("a row of {} number{}, expected {} as in {}", row.size(),
                                           row.size() == 1 ? "" : "s", m.cols, path(member_, 0)));
      }
      for (std::size_t c = 0; c < row.size(); ++c) m.values.push_back(number(row[c], path(member_, r, c)));
    }
    return out;
  }

 private:
  std::string_view file_;
  std::string_view member_;
};

/// The line and column (1-based, in bytes) of 0-based offset `at` in `text`.
SourceLocation location(std::string_view text, std::size_t at) {
  at = std::min(at, text.size());
  const std::string_view before = text.substr(0, at);
  const auto line = static_cast<std::uint32_t>(std::count(before.begin(), before.end(), '\n') + 1);
  const std::size_t newline = before.rfind('\n');
  const std::size_t column = newline == std::string_view::npos ? at + 1 : at - newline;
  return {line, static_cast<std::uint32_t>(std::min<std::size_t>(column, UINT32_MAX))};
}

/// nlohmann's message without its prefix ("[json.exception.parse_error.101] parse error at
/// line 1, column 2: ").
std::string syntax_message(const nlohmann::json::parse_error& error) {
  const std::string_view what = error.what();
  const std::size_t begin = what.find("parse error");
  const std::size_t colon = what.find(": ", begin == std::string_view::npos ? 0 : begin);
  // Control characters in "last read: '...'" come as <U+000A>, so the message is one line.
  return std::string(colon == std::string_view::npos ? what : what.substr(colon + 2));
}

}  // namespace

std::vector<NamedArray> parse_json_data(std::string_view text, std::string_view name) {
  // Duplicate names would silently keep the last value: say so instead.
  std::set<std::string, std::less<>> keys;
  std::optional<std::string> duplicate;
  const Json::parser_callback_t callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::key && depth == 1 && !duplicate) {
      auto key = parsed.get<std::string>();
      if (!keys.insert(key).second) duplicate = std::move(key);
    }
    return true;
  };
  Json document;
  try {
    document = Json::parse(text.begin(), text.end(), callback);
  } catch (const nlohmann::json::parse_error& error) {
    const std::size_t at = error.byte == 0 ? 0 : error.byte - 1;
    throw DataError(std::string(name), location(text, at), "not valid JSON: " + syntax_message(error));
  } catch (const nlohmann::json::out_of_range& error) {
    // "number overflow parsing '1e400'": find the number to say where it is.
    const std::string_view what = error.what();
    const std::size_t quote = what.find('\'');
    const std::string_view number = quote == std::string_view::npos ? "" : what.substr(quote + 1, what.size() - quote - 2);
    const std::size_t at = number.empty() ? std::string_view::npos : text.find(number);
    throw DataError(std::string(name), at == std::string_view::npos ? kNowhere : location(text, at),
                    fmt::format("number \"{}\" is too large for a double", number));
  }
  if (!document.is_object()) {
    throw DataError(std::string(name), kNowhere,
                    fmt::format("expected a JSON object of data by name, as {{\"y\": [1, 2]}}, found {}",
                                found(document)));
  }
  if (duplicate) {
    throw DataError(std::string(name), kNowhere, fmt::format("{}: the name is given twice", *duplicate));
  }
  std::vector<NamedArray> out;
  out.reserve(document.size());
  for (const auto& [key, value] : document.items()) out.push_back({key, MemberReader(name, key).read(value)});
  return out;
}

std::vector<NamedArray> read_json_data(const std::filesystem::path& path) {
  const detail::MappedFile file(path);
  return parse_json_data(file.text(), file.name());
}

}  // namespace slope::lang
