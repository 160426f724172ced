#include "slope/lang/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <vector>
#include <optional>
#include <utility>

#include "slope/lang/errors.hpp"
#include "slope/lang/lexer.hpp"

namespace slope::lang {

namespace {

std::string at(SourceLocation where) { return fmt::format("{}:{}", where.line, where.column); }

/// Binding strength of the binary operators (higher binds tighter). `^` is not here: it
/// binds tighter than unary minus, so power() handles it.
std::optional<std::pair<BinaryOp, int>> binary_operator(TokenKind kind) noexcept {
  switch (kind) {
    case TokenKind::Less: return std::pair{BinaryOp::Less, 1};
    case TokenKind::LessEqual: return std::pair{BinaryOp::LessEqual, 1};
    case TokenKind::Greater: return std::pair{BinaryOp::Greater, 1};
    case TokenKind::GreaterEqual: return std::pair{BinaryOp::GreaterEqual, 1};
    case TokenKind::Equal: return std::pair{BinaryOp::Equal, 1};
    case TokenKind::NotEqual: return std::pair{BinaryOp::NotEqual, 1};
    case TokenKind::Plus: return std::pair{BinaryOp::Add, 2};
    case TokenKind::Minus: return std::pair{BinaryOp::Subtract, 2};
    case TokenKind::Star: return std::pair{BinaryOp::Multiply, 3};
    case TokenKind::Slash: return std::pair{BinaryOp::Divide, 3};
    case TokenKind::DotStar: return std::pair{BinaryOp::ElementMultiply, 3};
    case TokenKind::DotSlash: return std::pair{BinaryOp::ElementDivide, 3};
    default: return std::nullopt;
  }
}
constexpr int kComparison = 1;

/// A def: its parameters and its body.
struct Definition {
  std::vector<std::string> parameters;
  ExprId body = kNoExpr;
  SourceSpan span;
};

class Parser {
 public:
  Parser(std::string_view source, const std::string& file) : lexer_(source, file), file_(file) {}

  // program = { statement } ;   statements end at a newline or at the end of the file
  Program program() {
    for (;;) {
      while (peek().kind == TokenKind::Newline) take();
      if (peek().kind == TokenKind::End) break;
      statement();
      if (peek().kind != TokenKind::Newline && peek().kind != TokenKind::End) fail("end of line after the statement");
    }
    return std::move(program_);
  }

 private:
  // ---- tokens ----------------------------------------------------------------------------

  const Token& peek(std::size_t ahead = 0) {
    while (lookahead_.size() <= ahead) lookahead_.push_back(lexer_.next());
    return lookahead_[ahead];
  }
  Token take() {
    peek();
    Token token = lookahead_.front();
    lookahead_.pop_front();
    last_end_ = token.span.end;
    return token;
  }
  bool accept(TokenKind kind) {
    if (peek().kind != kind) return false;
    take();
    return true;
  }
  /// Every "expected X, found Y" error comes from here. A token that follows a newline
  /// inside brackets is reported as "end of line" where that line ended.
  [[noreturn]] void fail(const std::string& expected) {
    const Token& found = peek();
    const SourceLocation where = found.after_newline ? found.newline : found.span.begin;
    throw SyntaxError(file_, where, expected, describe(found));
  }
  Token expect(TokenKind kind, const std::string& context) {
    if (peek().kind != kind) fail(context);
    return take();
  }
  [[noreturn]] void fail_at(SourceLocation where, const std::string& message) {
    throw SyntaxError(file_, where, message);
  }

  // ---- nesting ---------------------------------------------------------------------------

  /// Counts one level of parser recursion; deeper than kMaxNesting is a SyntaxError.
  class Nest {
   public:
    explicit Nest(Parser& parser) : parser_(parser) {
      if (++parser_.nesting_ > kMaxNesting) {
        throw SyntaxError(parser_.file_, parser_.peek().span.begin,
                          fmt::format("expression nested too deeply (more than {} levels)", kMaxNesting));
      }
    }
    ~Nest() { --parser_.nesting_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser& parser_;
  };

  ExprId add(Expr expr) {
    std::uint32_t depth = 0;
    for (const ExprId operand : expr.operands) depth = std::max(depth, program_.expressions[operand].depth);
    expr.depth = depth + 1;
    // Walkers loop along a left spine (left_spine in ast.hpp): only the right operand nests.
    if (expr.kind == ExprKind::Binary) {
      expr.depth = std::max(program_.expressions[expr.operands[0]].depth, program_.expressions[expr.operands[1]].depth + 1);
    }
    if (expr.depth > kMaxExpressionDepth) {
      throw SyntaxError(file_, expr.span.begin,
                        fmt::format("expression too deep (more than {} nested operations)", kMaxExpressionDepth));
    }
    program_.expressions.push_back(std::move(expr));
    return static_cast<ExprId>(program_.expressions.size() - 1);
  }
  [[nodiscard]] SourceLocation begin_of(ExprId id) const { return program_.expressions[id].span.begin; }

  // ---- statements ------------------------------------------------------------------------

  // statement = data | const | param | let | def | objective ;
  void statement() {
    switch (peek().kind) {
      case TokenKind::Data: return data();
      case TokenKind::Const: return constant();
      case TokenKind::Param: return param();
      case TokenKind::Let: return let();
      case TokenKind::Def: return def();
      case TokenKind::Minimize:
      case TokenKind::Maximize: return objective();
      default: fail("a statement ('data', 'const', 'param', 'let', 'def', 'minimize' or 'maximize')");
    }
  }

  // def = "def" NAME "(" [ NAME { "," NAME } ] ")" "=" expression ;
  //   a function of the model: each call is replaced by the body with its arguments in place of
  //   the parameters (so it is checked for shapes at each call, and a repeated argument is
  //   computed once by the replay's common subexpressions). A def is known from the next
  //   statement on, so it cannot call itself.
  void def() {
    take();  // def
    const Token name = expect(TokenKind::Name, "a name after 'def'");
    Definition definition;
    definition.span = name.span;
    if (defs_.contains(name.text)) fail_at(name.span.begin, fmt::format("def '{}' is defined twice", name.text));
    const Token open = expect(TokenKind::LeftParen, fmt::format("'(' and the parameters of def '{}'", name.text));
    if (peek().kind != TokenKind::RightParen) {
      do {
        const Token parameter = expect(TokenKind::Name, fmt::format("a parameter name of def '{}'", name.text));
        if (std::find(definition.parameters.begin(), definition.parameters.end(), parameter.text) !=
            definition.parameters.end()) {
          fail_at(parameter.span.begin, fmt::format("def '{}' names parameter '{}' twice", name.text, parameter.text));
        }
        definition.parameters.emplace_back(parameter.text);
      } while (accept(TokenKind::Comma));
    }
    expect(TokenKind::RightParen, fmt::format("')' to close '(' opened at {}", at(open.span.begin)));
    expect(TokenKind::Assign, fmt::format("'=' and the body of def '{}'", name.text));
    defining_ = name.text;
    definition.body = expression();
    defining_ = {};
    defs_.emplace(std::string(name.text), std::move(definition));
  }

  /// A def's body with `arguments` in place of its parameters: a copy of every node that
  /// depends on a parameter (the others are shared), spans kept (errors point into the def).
  ExprId substitute(const Definition& definition, ExprId id, std::span<const ExprId> arguments) {
    if (program_.expressions[id].kind == ExprKind::Binary) {  // along the left spine, in a loop
      std::vector<ExprId> spine;
      left_spine(program_, id, spine);
      ExprId left = substitute(definition, program_.expressions[spine.back()].operands[0], arguments);
      for (auto node = spine.rbegin(); node != spine.rend(); ++node) {
        Expr copy = program_.expressions[*node];
        const ExprId right = substitute(definition, copy.operands[1], arguments);
        if (left == copy.operands[0] && right == copy.operands[1]) {
          left = *node;
          continue;
        }
        copy.operands = {left, right};
        left = add(std::move(copy));
      }
      return left;
    }
    const Expr& original = program_.expressions[id];
    if (original.kind == ExprKind::Name) {
      for (std::size_t k = 0; k < definition.parameters.size(); ++k) {
        if (definition.parameters[k] == original.name) return arguments[k];
      }
      return id;
    }
    Expr copy = original;  // a copy: add() may reallocate the expressions
    bool changed = false;
    for (ExprId& operand : copy.operands) {
      const ExprId replaced = substitute(definition, operand, arguments);
      changed = changed || replaced != operand;
      operand = replaced;
    }
    return changed ? add(std::move(copy)) : id;
  }

  Statement declaration(StatementKind kind, std::string_view keyword) {
    Statement statement;
    statement.kind = kind;
    statement.span.begin = take().span.begin;
    const Token name = expect(TokenKind::Name, fmt::format("a name after '{}'", keyword));
    statement.name = std::string(name.text);
    statement.name_span = name.span;
    return statement;
  }
  void finish(Statement statement) {
    statement.span.end = last_end_;
    program_.statements.push_back(std::move(statement));
  }

  // data = "data" NAME [ dimensions ] ;
  void data() {
    Statement statement = declaration(StatementKind::Data, "data");
    if (peek().kind == TokenKind::LeftBracket) statement.dimensions = dimensions();
    finish(std::move(statement));
  }

  // const = "const" NAME "=" expression ;
  void constant() {
    Statement statement = declaration(StatementKind::Const, "const");
    expect(TokenKind::Assign, fmt::format("'=' after 'const {}'", statement.name));
    statement.value = expression();
    finish(std::move(statement));
  }

  // param = "param" NAME [ dimensions ] [ bounds ] "=" expression ;
  // bounds = ( ">=" | ">" | "<=" | "<" ) expression | "in" "[" expression "," expression "]" ;
  void param() {
    Statement statement = declaration(StatementKind::Param, "param");
    if (peek().kind == TokenKind::LeftBracket) statement.dimensions = dimensions();
    switch (peek().kind) {
      case TokenKind::GreaterEqual:
      case TokenKind::Greater:
        statement.lower.strict = take().kind == TokenKind::Greater;
        statement.lower.value = expression();
        break;
      case TokenKind::LessEqual:
      case TokenKind::Less:
        statement.upper.strict = take().kind == TokenKind::Less;
        statement.upper.value = expression();
        break;
      case TokenKind::In:
        take();
        expect(TokenKind::LeftBracket, fmt::format("'[' and the bounds of param '{}' (in [lower, upper])", statement.name));
        statement.lower.value = expression();
        expect(TokenKind::Comma, "',' between the lower and the upper bound");
        statement.upper.value = expression();
        expect(TokenKind::RightBracket, "']' after the upper bound");
        break;
      default: break;  // no bounds
    }
    expect(TokenKind::Assign, fmt::format("'=' and an initial value for param '{}'", statement.name));
    statement.value = expression();
    finish(std::move(statement));
  }

  // let = "let" NAME "=" expression ;
  void let() {
    Statement statement = declaration(StatementKind::Let, "let");
    expect(TokenKind::Assign, fmt::format("'=' after 'let {}'", statement.name));
    statement.value = expression();
    finish(std::move(statement));
  }

  // objective = ( "minimize" | "maximize" ) expression ;
  void objective() {
    Statement statement;
    statement.kind = StatementKind::Objective;
    const Token keyword = take();
    statement.sense = keyword.kind == TokenKind::Maximize ? Sense::Maximize : Sense::Minimize;
    statement.span.begin = keyword.span.begin;
    statement.name_span = keyword.span;
    statement.value = expression();
    finish(std::move(statement));
  }

  // dimensions = "[" dimension [ "," dimension ] "]" ;
  std::vector<Dimension> dimensions() {
    const Token open = take();
    std::vector<Dimension> result;
    result.push_back(dimension());
    if (accept(TokenKind::Comma)) result.push_back(dimension());
    expect(TokenKind::RightBracket,
           fmt::format("']' to close '[' opened at {} (at most two dimensions)", at(open.span.begin)));
    return result;
  }

  // dimension = INTEGER | NAME ;
  Dimension dimension() {
    const Token& token = peek();
    Dimension dim;
    dim.span = token.span;
    if (token.kind == TokenKind::Name) {
      dim.name = std::string(token.text);
    } else if (token.kind == TokenKind::Number && std::all_of(token.text.begin(), token.text.end(),
                                                            [](char c) { return c >= '0' && c <= '9'; })) {
      const auto [end, error] = std::from_chars(token.text.data(), token.text.data() + token.text.size(), dim.literal);
      if (error != std::errc()) fail("a dimension that fits in 64 bits");
    } else {
      fail("a dimension (an integer or a name)");
    }
    take();
    return dim;
  }

  // ---- expressions -----------------------------------------------------------------------

  // expression = binary ;   (the loosest binding level: comparisons)
  ExprId expression() {
    const Nest nest(*this);
    return binary(kComparison);
  }

  // binary = unary { binary_operator unary } ;   by precedence climbing:
  //   comparison (< <= > >= == !=, do not chain)  <  + -  <  * / .* ./
  ExprId binary(int min_precedence) {
    ExprId left = unary();
    for (;;) {
      const auto op = binary_operator(peek().kind);
      if (!op || op->second < min_precedence) return left;
      take();
      const ExprId right = binary(op->second + 1);  // +1: left-associative
      Expr expr;
      expr.kind = ExprKind::Binary;
      expr.op = op->first;
      expr.operands = {left, right};
      expr.span = {begin_of(left), last_end_};
      left = add(std::move(expr));
      if (op->second == kComparison) {
        const auto next = binary_operator(peek().kind);
        if (next && next->second == kComparison) fail("the end of the comparison (comparisons do not chain; add parentheses)");
      }
    }
  }

  // unary = ( "-" | "+" ) unary | power ;
  ExprId unary() {
    if (peek().kind != TokenKind::Minus && peek().kind != TokenKind::Plus) return power();
    const Token sign = take();
    const Nest nest(*this);
    const ExprId operand = unary();
    if (sign.kind == TokenKind::Plus) return operand;
    Expr expr;
    expr.kind = ExprKind::Negate;
    expr.operands = {operand};
    expr.span = {sign.span.begin, last_end_};
    return add(std::move(expr));
  }

  // power = postfix [ ( "^" | ".^" ) unary ] ;   right-associative, tighter than unary minus
  ExprId power() {
    const ExprId base = postfix();
    if (peek().kind != TokenKind::Caret && peek().kind != TokenKind::DotCaret) return base;
    const Token op = take();
    const Nest nest(*this);
    const ExprId exponent = unary();
    Expr expr;
    expr.kind = ExprKind::Binary;
    expr.op = op.kind == TokenKind::Caret ? BinaryOp::Power : BinaryOp::ElementPower;
    expr.operands = {base, exponent};
    expr.span = {begin_of(base), last_end_};
    return add(std::move(expr));
  }

  // postfix = primary { "[" index [ "," index ] "]" | "'" } ;
  ExprId postfix() {
    ExprId base = primary();
    while (peek().kind == TokenKind::LeftBracket || peek().kind == TokenKind::Quote) {
      Expr expr;
      if (accept(TokenKind::Quote)) {
        expr.kind = ExprKind::Transpose;
        expr.operands = {base};
      } else {
        const Token open = take();
        expr.kind = ExprKind::Index;
        expr.operands = {base, index()};
        if (accept(TokenKind::Comma)) expr.operands.push_back(index());
        expect(TokenKind::RightBracket,
               fmt::format("']' to close '[' opened at {} (at most two indices)", at(open.span.begin)));
      }
      expr.span = {begin_of(base), last_end_};
      base = add(std::move(expr));
    }
    return base;
  }

  // index = ":" | expression [ ":" expression ] ;   a slice a:b is inclusive, ":" is all
  ExprId index() {
    const SourceLocation begin = peek().span.begin;
    Expr slice;
    slice.kind = ExprKind::Slice;
    if (accept(TokenKind::Colon)) {
      slice.span = {begin, last_end_};
      return add(std::move(slice));
    }
    const ExprId first = expression();
    if (!accept(TokenKind::Colon)) return first;
    slice.operands = {first, expression()};
    slice.span = {begin, last_end_};
    return add(std::move(slice));
  }

  // primary = NUMBER | NAME | call | reduction | "(" expression ")" | vector | conditional ;
  ExprId primary() {
    const Token& token = peek();
    switch (token.kind) {
      case TokenKind::Number: return number();
      case TokenKind::Name: {
        if (peek(1).kind == TokenKind::LeftParen) return call();
        const Token name = take();
        Expr expr;
        expr.kind = ExprKind::Name;
        expr.name = std::string(name.text);
        expr.span = name.span;
        return add(std::move(expr));
      }
      case TokenKind::LeftParen: {
        const Token open = take();
        const ExprId inner = expression();
        expect(TokenKind::RightParen, fmt::format("')' to close '(' opened at {}", at(open.span.begin)));
        return inner;
      }
      case TokenKind::LeftBracket: return vector();
      case TokenKind::If: return conditional();
      default: fail("an expression");
    }
  }

  ExprId number() {
    const Token token = take();
    Expr expr;
    expr.kind = ExprKind::Number;
    // strtod needs a terminated string; overflow gives inf, as the double arithmetic would.
    expr.number = std::strtod(std::string(token.text).c_str(), nullptr);
    expr.span = token.span;
    return add(std::move(expr));
  }

  /// A call of a def: its body with the arguments in place of its parameters.
  ExprId expand(const Token& name, const Definition& definition, std::vector<ExprId> arguments) {
    if (arguments.size() != definition.parameters.size()) {
      fail_at(name.span.begin, fmt::format("def '{}' takes {} argument{}, found {}", name.text,
                                           definition.parameters.size(), definition.parameters.size() == 1 ? "" : "s",
                                           arguments.size()));
    }
    return substitute(definition, definition.body, arguments);
  }

  // call = NAME "(" [ expression [ "|" expression ] { "," expression } ] ")" | reduction ;
  //   "|" only after the first argument of a log density (NAME_lpdf, NAME_lpmf), as in Stan
  ExprId call() {
    if (peek(2).kind == TokenKind::Name && peek(3).kind == TokenKind::In) return reduction();
    const Token name = take();
    const Token open = take();
    Expr expr;
    expr.kind = ExprKind::Call;
    expr.name = std::string(name.text);
    expr.name_span = name.span;
    if (peek().kind != TokenKind::RightParen) {
      expr.operands.push_back(expression());
      const bool density = expr.name.ends_with("_lpdf") || expr.name.ends_with("_lpmf");
      if (density && accept(TokenKind::Bar)) expr.operands.push_back(expression());
      while (accept(TokenKind::Comma)) expr.operands.push_back(expression());
    }
    expect(TokenKind::RightParen, fmt::format("')' to close '(' opened at {}", at(open.span.begin)));
    if (name.text == defining_) {
      fail_at(name.span.begin, fmt::format("def '{}' calls itself: a def cannot be recursive", name.text));
    }
    if (const auto found = defs_.find(name.text); found != defs_.end()) {
      return expand(name, found->second, std::move(expr.operands));
    }
    expr.span = {name.span.begin, last_end_};
    return add(std::move(expr));
  }

  // reduction = NAME "(" NAME "in" expression ":" expression "," expression ")" ;
  //   NAME is sum or prod (the checker says so); the range is inclusive
  ExprId reduction() {
    const Token name = take();
    const Token open = take();
    const Token index = take();
    take();  // in
    Expr expr;
    expr.kind = ExprKind::Reduce;
    expr.name = std::string(name.text);
    expr.name_span = name.span;
    expr.index = std::string(index.text);
    expr.index_span = index.span;
    const ExprId first = binary(kComparison + 1);  // a comparison in a range makes no sense
    expect(TokenKind::Colon, fmt::format("':' in the range of '{}'", expr.index));
    const ExprId last = binary(kComparison + 1);
    expect(TokenKind::Comma, fmt::format("',' and the expression to {} over", expr.name));
    const ExprId body = expression();
    expect(TokenKind::RightParen, fmt::format("')' to close '(' opened at {}", at(open.span.begin)));
    expr.operands = {first, last, body};
    expr.span = {name.span.begin, last_end_};
    return add(std::move(expr));
  }

  // vector = "[" expression { "," expression } "]" ;
  ExprId vector() {
    const Token open = take();
    Expr expr;
    expr.kind = ExprKind::Vector;
    do {
      expr.operands.push_back(expression());
    } while (accept(TokenKind::Comma));
    expect(TokenKind::RightBracket, fmt::format("']' to close '[' opened at {}", at(open.span.begin)));
    expr.span = {open.span.begin, last_end_};
    return add(std::move(expr));
  }

  // conditional = "if" expression "then" expression "else" expression ;
  ExprId conditional() {
    const Token keyword = take();
    Expr expr;
    expr.kind = ExprKind::Condition;
    const ExprId condition = expression();
    expect(TokenKind::Then, fmt::format("'then' after the condition of 'if' at {}", at(keyword.span.begin)));
    const ExprId if_true = expression();
    expect(TokenKind::Else, fmt::format("'else' for 'if' at {}", at(keyword.span.begin)));
    const ExprId if_false = expression();
    expr.operands = {condition, if_true, if_false};
    expr.span = {keyword.span.begin, last_end_};
    return add(std::move(expr));
  }

  Lexer lexer_;
  std::map<std::string, Definition, std::less<>> defs_;
  std::string_view defining_;  // the def whose body is being parsed
  const std::string& file_;
  std::deque<Token> lookahead_;
  SourceLocation last_end_;
  std::uint32_t nesting_ = 0;
  Program program_;
};

}  // namespace

Program parse(std::string_view source, const std::string& file) { return Parser(source, file).program(); }

}  // namespace slope::lang
