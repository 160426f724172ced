#pragma once
/// \file
/// A plain-text table for the summaries the benchmark binaries print at the end.

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace slope::bench {

/// Rows of cells printed in aligned columns: the first column left-aligned (names), the others
/// right-aligned (numbers), with a rule under the header.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}

  /// Appends a row; it should have as many cells as the header.
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

  /// The table as text, one line per row, each ending in a newline.
  [[nodiscard]] std::string str() const {
    std::vector<std::size_t> width(header_.size());
    for (std::size_t c = 0; c < header_.size(); ++c) width[c] = header_[c].size();
    for (const auto& row : rows_) {
      for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], row[c].size());
    }
    std::string out = line(header_, width);
    std::size_t total = 0;
    for (const std::size_t w : width) total += w + 3;
    out += std::string(total > 3 ? total - 3 : 0, '-') + "\n";
    for (const auto& row : rows_) out += line(row, width);
    return out;
  }

 private:
  static std::string line(const std::vector<std::string>& cells, const std::vector<std::size_t>& width) {
    std::string out;
    for (std::size_t c = 0; c < cells.size() && c < width.size(); ++c) {
      if (c > 0) out += " | ";
      out += c == 0 ? fmt::format("{:<{}}", cells[c], width[c]) : fmt::format("{:>{}}", cells[c], width[c]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  }

  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace slope::bench
