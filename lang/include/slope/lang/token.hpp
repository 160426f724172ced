#pragma once
/// \file
/// The tokens of a .slope model, as the lexer makes them.

#include <cstdint>
#include <string>
#include <string_view>

#include "slope/lang/source.hpp"

namespace slope::lang {

/// What a token is. Keywords have their own kinds; `sum` and `prod` are ordinary names.
enum class TokenKind : std::uint8_t {
  Name,
  Number,
  // keywords
  Data,
  Const,
  Param,
  Let,
  Def,
  Minimize,
  Maximize,
  If,
  Then,
  Else,
  In,
  // punctuation and operators
  LeftParen,
  RightParen,
  LeftBracket,
  RightBracket,
  Comma,
  Bar,           ///< | in a log density: normal_lpdf(y | mu, sigma)
  Colon,
  Quote,         ///< ' after an expression: the transpose
  Assign,        ///< =
  Plus,
  Minus,
  Star,
  Slash,
  Caret,
  DotStar,       ///< .*
  DotSlash,      ///< ./
  DotCaret,      ///< .^
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  Equal,         ///< ==
  NotEqual,      ///< !=
  Newline,       ///< the end of a statement (newlines inside brackets are skipped)
  End,           ///< the end of the source
};

/// One token: its kind, its text (a view into the model source) and where it starts and ends.
struct Token {
  TokenKind kind = TokenKind::End;
  std::string_view text;
  SourceSpan span;
  /// True when a newline inside brackets was skipped right before this token; an error
  /// about this token then reports "end of line" at `newline`, where the user's line ended.
  bool after_newline = false;
  SourceLocation newline;
};

/// How a kind is named in "expected ..." messages: "')'", "a name", "end of line".
[[nodiscard]] std::string_view describe(TokenKind kind) noexcept;
/// How a token is named in "found ..." messages: "'foo'", "'3.5'", "end of line", "end of file".
[[nodiscard]] std::string describe(const Token& token);

}  // namespace slope::lang
