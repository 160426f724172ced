#include "slope/lang/errors.hpp"

#include <fmt/format.h>

#include <utility>

namespace slope::lang {

namespace {

std::string one_line(const std::string& file, SourceLocation where, const std::string& message) {
  if (where == kNowhere) return fmt::format("{}: error: {}", file, message);
  return fmt::format("{}:{}:{}: error: {}", file, where.line, where.column, message);
}

}  // namespace

Error::Error(std::string file, SourceLocation where, std::string message)
    : slope::Error(one_line(file, where, message)), file_(std::move(file)), where_(where), message_(std::move(message)) {}

SyntaxError::SyntaxError(std::string file, SourceLocation where, std::string expected, std::string found)
    : Error(std::move(file), where, fmt::format("expected {}, found {}", expected, found)),
      expected_(std::move(expected)),
      found_(std::move(found)) {}

SyntaxError::SyntaxError(std::string file, SourceLocation where, std::string message)
    : Error(std::move(file), where, std::move(message)) {}

EvaluationError::EvaluationError(std::string file, SourceSpan span, std::string operation, std::string message)
    : Error(std::move(file), span.begin, std::move(message)), span_(span), operation_(std::move(operation)) {}

PeerFailure::PeerFailure() : Error("", kNowhere, "another process failed") {}

std::string render(const Error& error, std::string_view source) {
  std::string out = error.what();
  if (source.empty() || error.location() == kNowhere) return out;
  // Find the error's line; a location past the end (end of file) shows the last line.
  std::size_t begin = 0;
  for (std::uint32_t line = 1; line < error.location().line; ++line) {
    const std::size_t newline = source.find('\n', begin);
    if (newline == std::string_view::npos) return out;
    begin = newline + 1;
  }
  std::size_t end = source.find('\n', begin);
  if (end == std::string_view::npos) end = source.size();
  std::string_view text = source.substr(begin, end - begin);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  out += "\n  ";
  out += text;
  out += "\n  ";
  // Keep tabs so that the caret lines up with the column whatever the tab width.
  const std::size_t column = error.location().column;
  for (std::size_t i = 0; i + 1 < column; ++i) out += i < text.size() && text[i] == '\t' ? '\t' : ' ';
  out += '^';
  return out;
}

}  // namespace slope::lang
