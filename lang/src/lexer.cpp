#include "slope/lang/lexer.hpp"

#include <fmt/format.h>

#include <utility>

#include "slope/lang/errors.hpp"

namespace slope::lang {

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_name_start(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) noexcept { return is_name_start(c) || is_digit(c); }

/// A character as it appears in a message: printable ASCII quoted, anything else in hex
/// (the byte may be half of a UTF-8 sequence or a control character).
std::string quote_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", byte);
}

struct Keyword {
  std::string_view text;
  TokenKind kind;
};
constexpr Keyword kKeywords[] = {
    {"data", TokenKind::Data},         {"const", TokenKind::Const}, {"param", TokenKind::Param},
    {"let", TokenKind::Let},           {"minimize", TokenKind::Minimize},
    {"maximize", TokenKind::Maximize}, {"if", TokenKind::If},       {"then", TokenKind::Then},
    {"else", TokenKind::Else},         {"in", TokenKind::In},       {"def", TokenKind::Def},
};

}  // namespace

Lexer::Lexer(std::string_view source, std::string file) : source_(source), file_(std::move(file)) {}

char Lexer::peek(std::size_t ahead) const noexcept {
  return pos_ + ahead < source_.size() ? source_[pos_ + ahead] : '\0';
}

void Lexer::advance() noexcept {
  if (source_[pos_] == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  ++pos_;
}

Token Lexer::make(TokenKind kind, std::size_t begin, SourceLocation start) const {
  Token token;
  token.kind = kind;
  token.text = source_.substr(begin, pos_ - begin);
  token.span = {start, here()};
  return token;
}

Token Lexer::next() {
  bool skipped_newline = false;
  SourceLocation newline;
  for (;;) {
    if (pos_ >= source_.size()) {
      Token end = make(TokenKind::End, pos_, here());
      end.after_newline = skipped_newline;
      end.newline = newline;
      return end;
    }
    const char c = source_[pos_];
    if (c == '#') {
      while (pos_ < source_.size() && source_[pos_] != '\n') advance();
      continue;
    }
    if (c == '\n') {
      if (open_brackets_ == 0) {
        const SourceLocation start = here();
        const std::size_t begin = pos_;
        advance();
        Token token = make(TokenKind::Newline, begin, start);
        return token;
      }
      if (!skipped_newline) newline = here();
      skipped_newline = true;
      advance();
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      advance();
      continue;
    }
    break;
  }
  const std::size_t begin = pos_;
  const SourceLocation start = here();
  const char c = source_[pos_];
  Token token;
  if (is_digit(c) || (c == '.' && is_digit(peek(1)))) {
    token = number(begin, start);
  } else if (is_name_start(c)) {
    token = name(begin, start);
  } else {
    token = punctuation(begin, start);
  }
  token.after_newline = skipped_newline;
  token.newline = newline;
  return token;
}

Token Lexer::number(std::size_t begin, SourceLocation start) {
  while (is_digit(peek())) advance();
  if (peek() == '.' && is_digit(peek(1))) {
    advance();
    while (is_digit(peek())) advance();
  } else if (peek() == '.' && !(peek(1) == '*' || peek(1) == '/' || peek(1) == '^')) {
    advance();  // "1." is the number 1; "1.*x" is 1 .* x
  }
  if (peek() == 'e' || peek() == 'E') {
    const std::size_t sign = (peek(1) == '+' || peek(1) == '-') ? 1 : 0;
    if (!is_digit(peek(1 + sign))) {
      const SourceLocation where{start.line, static_cast<std::uint32_t>(start.column + (pos_ - begin) + 1 + sign)};
      const std::string_view text = source_.substr(begin, pos_ - begin + 1 + sign);
      const std::string found = pos_ + 1 + sign < source_.size() ? quote_char(peek(1 + sign)) : "end of file";
      throw SyntaxError(file_, where, fmt::format("a digit in the exponent of '{}'", text),
                        peek(1 + sign) == '\n' ? "end of line" : found);
    }
    advance();
    if (sign != 0) advance();
    while (is_digit(peek())) advance();
  }
  if (is_name_start(peek())) {
    throw SyntaxError(file_, here(), fmt::format("an operator or space after the number '{}'",
                                                 source_.substr(begin, pos_ - begin)),
                      quote_char(peek()));
  }
  return make(TokenKind::Number, begin, start);
}

Token Lexer::name(std::size_t begin, SourceLocation start) {
  while (is_name_char(peek())) advance();
  const std::string_view text = source_.substr(begin, pos_ - begin);
  for (const Keyword& keyword : kKeywords) {
    if (keyword.text == text) return make(keyword.kind, begin, start);
  }
  return make(TokenKind::Name, begin, start);
}

Token Lexer::punctuation(std::size_t begin, SourceLocation start) {
  const char c = peek();
  const char d = peek(1);
  auto two = [&](TokenKind kind) {
    advance();
    advance();
    return make(kind, begin, start);
  };
  auto one = [&](TokenKind kind) {
    advance();
    return make(kind, begin, start);
  };
  switch (c) {
    case '(':
    case '[':
      ++open_brackets_;
      return one(c == '(' ? TokenKind::LeftParen : TokenKind::LeftBracket);
    case ')':
    case ']':
      if (open_brackets_ > 0) --open_brackets_;
      return one(c == ')' ? TokenKind::RightParen : TokenKind::RightBracket);
    case ',': return one(TokenKind::Comma);
    case '|': return one(TokenKind::Bar);
    case ':': return one(TokenKind::Colon);
    case '\'': return one(TokenKind::Quote);
    case '+': return one(TokenKind::Plus);
    case '-': return one(TokenKind::Minus);
    case '*': return one(TokenKind::Star);
    case '/': return one(TokenKind::Slash);
    case '^': return one(TokenKind::Caret);
    case '.':
      if (d == '*') return two(TokenKind::DotStar);
      if (d == '/') return two(TokenKind::DotSlash);
      if (d == '^') return two(TokenKind::DotCaret);
      break;
    case '<': return d == '=' ? two(TokenKind::LessEqual) : one(TokenKind::Less);
    case '>': return d == '=' ? two(TokenKind::GreaterEqual) : one(TokenKind::Greater);
    case '=': return d == '=' ? two(TokenKind::Equal) : one(TokenKind::Assign);
    case '!':
      if (d == '=') return two(TokenKind::NotEqual);
      break;
    default: break;
  }
  const auto byte = static_cast<unsigned char>(c);
  throw SyntaxError(file_, start, byte >= 0x20 && byte < 0x7f ? fmt::format("unexpected character '{}'", c)
                                                              : fmt::format("unexpected byte 0x{:02x}", byte));
}

}  // namespace slope::lang
