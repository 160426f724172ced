/// \file
/// The `slope` command: optimize, differentiate and check .slope models from the shell.
///
/// Exit status: 0 success (converged; gradient printed; check passed), 1 the optimizer stopped
/// without converging or the check found a mismatch (the result is still printed), 2 bad input.
/// Every error is caught here and printed on stderr; nothing aborts.

#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <variant>

#include "arguments.hpp"
#include "commands/commands.hpp"
#include "session.hpp"
#include "slope/lang/errors.hpp"

namespace {

using slope::cli::Arguments;

int run(const Arguments& arguments, const std::string& source) {
  switch (arguments.command) {
    case slope::cli::Command::Optimize: return slope::cli::run_optimize(arguments, source);
    case slope::cli::Command::Gradient: return slope::cli::run_gradient(arguments, source);
    case slope::cli::Command::Check: return slope::cli::run_check(arguments, source);
  }
  return 2;
}

int main_checked(int argc, char** argv) {
  const std::variant<Arguments, int> parsed = slope::cli::parse_arguments(argc, argv);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  const Arguments& arguments = std::get<Arguments>(parsed);
  const std::string source = slope::cli::read_model_text(arguments.model);
  try {
    return run(arguments, source);
  } catch (const slope::lang::Error& error) {
    // An error in the model shows its line with a caret; a data file's error names its row
    // and field number, which is not a column of text to put a caret under.
    const bool in_model = error.file() == arguments.model.string();
    fmt::print(stderr, "{}\n", in_model ? slope::lang::render(error, source) : std::string(error.what()));
    return 2;
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return main_checked(argc, argv);
  } catch (const slope::Error& error) {
    fmt::print(stderr, "slope: error: {}\n", error.what());
  } catch (const std::bad_alloc&) {
    std::fputs("slope: error: out of memory\n", stderr);
  } catch (const std::exception& error) {
    fmt::print(stderr, "slope: error: {}\n", error.what());
  } catch (...) {
    std::fputs("slope: error: unknown exception\n", stderr);
  }
  return 2;
}
