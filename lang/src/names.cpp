// "Did you mean" hints.

#include <algorithm>
#include <cctype>
#include <numeric>
#include <vector>

#include "slope/lang/check.hpp"

namespace slope::lang {

namespace {

/// Levenshtein distance with one row of memory.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  constexpr std::size_t kMaxEdits = 2;
  std::optional<std::string> best;
  std::size_t best_distance = kMaxEdits + 1;
  for (const std::string& candidate : candidates) {
    // A difference in case only ('x' for 'X') is the likeliest slip of all, even for one letter.
    if (candidate.size() == name.size() && candidate != name &&
        std::equal(name.begin(), name.end(), candidate.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return candidate;
    }
    // Names far longer or shorter cannot be within reach; skip them without the O(n*m) work.
    const std::size_t gap = candidate.size() > name.size() ? candidate.size() - name.size() : name.size() - candidate.size();
    if (gap > kMaxEdits) continue;
    const std::size_t distance = edit_distance(name, candidate);
    // Closer than the name is long: 'x' is not a plausible typo of 'y'.
    if (distance < best_distance && distance < name.size()) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace slope::lang
