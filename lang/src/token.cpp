#include "slope/lang/token.hpp"

#include <fmt/format.h>

namespace slope::lang {

std::string_view describe(TokenKind kind) noexcept {
  switch (kind) {
    case TokenKind::Name: return "a name";
    case TokenKind::Number: return "a number";
    case TokenKind::Data: return "'data'";
    case TokenKind::Const: return "'const'";
    case TokenKind::Param: return "'param'";
    case TokenKind::Let: return "'let'";
    case TokenKind::Def: return "'def'";
    case TokenKind::Minimize: return "'minimize'";
    case TokenKind::Maximize: return "'maximize'";
    case TokenKind::If: return "'if'";
    case TokenKind::Then: return "'then'";
    case TokenKind::Else: return "'else'";
    case TokenKind::In: return "'in'";
    case TokenKind::LeftParen: return "'('";
    case TokenKind::RightParen: return "')'";
    case TokenKind::LeftBracket: return "'['";
    case TokenKind::RightBracket: return "']'";
    case TokenKind::Comma: return "','";
    case TokenKind::Bar: return "'|'";
    case TokenKind::Colon: return "':'";
    case TokenKind::Quote: return "\"'\"";
    case TokenKind::Assign: return "'='";
    case TokenKind::Plus: return "'+'";
    case TokenKind::Minus: return "'-'";
    case TokenKind::Star: return "'*'";
    case TokenKind::Slash: return "'/'";
    case TokenKind::Caret: return "'^'";
    case TokenKind::DotStar: return "'.*'";
    case TokenKind::DotSlash: return "'./'";
    case TokenKind::DotCaret: return "'.^'";
    case TokenKind::Less: return "'<'";
    case TokenKind::LessEqual: return "'<='";
    case TokenKind::Greater: return "'>'";
    case TokenKind::GreaterEqual: return "'>='";
    case TokenKind::Equal: return "'=='";
    case TokenKind::NotEqual: return "'!='";
    case TokenKind::Newline: return "end of line";
    case TokenKind::End: return "end of file";
  }
  return "a token";
}

std::string describe(const Token& token) {
  if (token.after_newline) return "end of line";
  if (token.kind == TokenKind::Newline || token.kind == TokenKind::End) return std::string(describe(token.kind));
  return fmt::format("'{}'", token.text);
}

}  // namespace slope::lang
