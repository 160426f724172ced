#pragma once
/// \file
/// The parser: recursive descent over the tokens of the lexer, one method per grammar rule.
///
/// The grammar is written out as EBNF in docs/grammar.md; keep the two in sync (each parser
/// method carries its rule in a comment above it).

#include <cstdint>
#include <string>
#include <string_view>

#include "slope/lang/ast.hpp"

namespace slope::lang {

/// How deeply brackets, unary minus and powers may nest while parsing.
inline constexpr std::uint32_t kMaxNesting = 256;
/// How deep an expression tree may be, counting what checking and evaluation recurse into (it
/// bounds their stack). A flat chain `a + b + c + ...` of any length counts as one level:
/// walkers go along it in a loop (left_spine in ast.hpp).
inline constexpr std::uint32_t kMaxExpressionDepth = 1000;

/// Parses a whole model; `file` names it in errors. Throws SyntaxError at the first error.
[[nodiscard]] Program parse(std::string_view source, const std::string& file);

}  // namespace slope::lang
