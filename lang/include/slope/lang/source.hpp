#pragma once
/// \file
/// Places in a model's source text, for error messages.

#include <cstdint>
#include <string>

namespace slope::lang {

/// A 1-based line and column (columns count bytes).
struct SourceLocation {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

/// No place in the text: an error about the file as a whole or about how it is used (an
/// unknown name given to Model::set_constant, a data binding); messages omit line and column.
inline constexpr SourceLocation kNowhere{0, 0};

/// A half-open range [begin, end) of source text.
struct SourceSpan {
  SourceLocation begin;
  SourceLocation end;
  friend bool operator==(const SourceSpan&, const SourceSpan&) = default;
};

}  // namespace slope::lang
