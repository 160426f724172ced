#pragma once
/// \file
/// Default command-line flags for a benchmark binary, overridable by the user's own.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace slope::bench {

/// A benchmark binary's command line after its own options are taken out: argv[0], then the
/// defaults, then the user's flags. Google Benchmark keeps the last value of a repeated flag,
/// so any flag the user passes replaces its default.
class CommandLine {
 public:
  /// Takes out `own_flags` (for example "--smoke"), remembering which were present. An own flag
  /// ending in '=' (for example "--summary_out=") takes a value: "--summary_out=FILE".
  CommandLine(int argc, char** argv, std::vector<std::string_view> own_flags) {
    args_.emplace_back(argc > 0 ? argv[0] : "benchmark");
    for (int i = 1; i < argc; ++i) {
      const std::string_view arg = argv[i];
      const auto own = std::find_if(own_flags.begin(), own_flags.end(), [arg](std::string_view flag) {
        return flag.ends_with('=') ? arg.starts_with(flag) : arg == flag;
      });
      if (own != own_flags.end()) {
        present_.emplace_back(arg);
      } else {
        user_.emplace_back(arg);
      }
    }
  }

  /// Whether `flag` was among the own flags on the command line.
  [[nodiscard]] bool has(std::string_view flag) const {
    return std::find(present_.begin(), present_.end(), flag) != present_.end();
  }

  /// The value of a flag taking one (`flag` ends in '='; the last occurrence wins), or "".
  [[nodiscard]] std::string value(std::string_view flag) const {
    std::string out;
    for (const std::string& arg : present_) {
      if (std::string_view(arg).starts_with(flag)) out = arg.substr(flag.size());
    }
    return out;
  }

  /// Adds defaults; they go before the user's flags.
  void add_defaults(std::vector<std::string> defaults) {
    args_.insert(args_.end(), std::make_move_iterator(defaults.begin()), std::make_move_iterator(defaults.end()));
  }

  /// Pointers for benchmark::Initialize; valid while this object lives and is not changed.
  [[nodiscard]] std::vector<char*> argv() {
    all_ = args_;
    all_.insert(all_.end(), user_.begin(), user_.end());
    std::vector<char*> out;
    for (std::string& arg : all_) out.push_back(arg.data());
    out.push_back(nullptr);
    return out;
  }

 private:
  std::vector<std::string> args_;
  std::vector<std::string> user_;
  std::vector<std::string> all_;
  std::vector<std::string> present_;
};

}  // namespace slope::bench
