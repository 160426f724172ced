#pragma once
/// \file
/// The lexer: turns model source into tokens, one at a time.

#include <string>
#include <string_view>

#include "slope/lang/source.hpp"
#include "slope/lang/token.hpp"

namespace slope::lang {

/// Splits a model's source into tokens on demand.
///
/// Newlines end statements, except inside () and []: the lexer counts open brackets and
/// skips the newlines within them (as Python does), so the parser never sees those. A `#`
/// starts a comment that runs to the end of the line. Numbers are decimal with an optional
/// fraction and exponent (`3`, `0.5`, `.5`, `1e-5`, `2.5E3`); a `.` followed by `*`, `/` or
/// `^` is an elementwise operator, so `1.*x` is `1 .* x`.
class Lexer {
 public:
  /// Lexes `source`; `file` names it in errors. The source must outlive the lexer.
  Lexer(std::string_view source, std::string file);

  /// The next token; End forever once the source is exhausted. Throws SyntaxError for a
  /// character that starts no token or a malformed number.
  Token next();

 private:
  [[nodiscard]] char peek(std::size_t ahead = 0) const noexcept;
  void advance() noexcept;
  [[nodiscard]] SourceLocation here() const noexcept { return {line_, column_}; }
  Token make(TokenKind kind, std::size_t begin, SourceLocation start) const;
  Token number(std::size_t begin, SourceLocation start);
  Token name(std::size_t begin, SourceLocation start);
  Token punctuation(std::size_t begin, SourceLocation start);

  std::string_view source_;
  std::string file_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
  std::size_t open_brackets_ = 0;
};

}  // namespace slope::lang
