/// \file
/// The `slope` command: optimize, differentiate and check .slope models from the shell.
///
/// Exit status: 0 success (converged; gradient printed; check passed), 1 the optimizer stopped
/// without converging or the check found a mismatch (the result is still printed), 2 bad input.
/// Every error is caught here and printed on stderr; nothing aborts.
///
/// Under mpirun every rank runs the same steps (processes.hpp); rank 0 alone writes standard
/// output, and an error is printed once: by rank 0 when every rank met it (a mistake in the
/// model), else by each rank that met it, after "rank R: " (a bad cell in its block of rows).

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "arguments.hpp"
#include "commands/commands.hpp"
#include "processes.hpp"
#include "session.hpp"
#include "slope/lang/errors.hpp"

namespace {

using slope::cli::Arguments;
using slope::cli::Processes;

int run(const Arguments& arguments, const std::string& source, const Processes& processes) {
  switch (arguments.command) {
    case slope::cli::Command::Optimize: return slope::cli::run_optimize(arguments, source, processes);
    case slope::cli::Command::Gradient: return slope::cli::run_gradient(arguments, source, processes);
    case slope::cli::Command::Check: return slope::cli::run_check(arguments, source, processes);
  }
  return 2;
}

/// parse_arguments, whose messages (usage errors, --help) every rank would print: rank 0's only.
std::variant<Arguments, int> parse_once(int argc, char** argv, const Processes& processes) {
  if (processes.rank() == 0) return slope::cli::parse_arguments(argc, argv);
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  std::FILE* quiet = std::freopen("/dev/null", "w", stderr);
  std::variant<Arguments, int> parsed = slope::cli::parse_arguments(argc, argv);
  std::fflush(stderr);
  if (quiet != nullptr && saved >= 0) dup2(saved, STDERR_FILENO);
  if (saved >= 0) close(saved);
  return parsed;
}

/// An error met by this process: its text, or none when another process met it (PeerFailure).
struct Failure {
  std::optional<std::string> message;
};

/// Runs the command; an error goes into `failure` (exit status 2).
int run_guarded(int argc, char** argv, const Processes& processes, Failure& failure) {
  std::string source;
  Arguments arguments;
  try {
    std::variant<Arguments, int> parsed = parse_once(argc, argv, processes);
    if (const int* status = std::get_if<int>(&parsed)) return *status;
    arguments = std::move(std::get<Arguments>(parsed));
    source = slope::cli::read_model_text(arguments.model);
    return run(arguments, source, processes);
  } catch (const slope::lang::PeerFailure&) {
    failure.message.reset();
  } catch (const slope::lang::Error& error) {
    // An error in the model shows its line with a caret; a data file's error names its row
    // and field number, which is not a column of text to put a caret under.
    const bool in_model = !source.empty() && error.file() == arguments.model.string();
    failure.message = in_model ? slope::lang::render(error, source) : std::string(error.what());
  } catch (const slope::Error& error) {
    failure.message = fmt::format("slope: error: {}", error.what());
  } catch (const std::bad_alloc&) {
    failure.message = "slope: error: out of memory";
  } catch (const std::exception& error) {
    failure.message = fmt::format("slope: error: {}", error.what());
  } catch (...) {
    failure.message = "slope: error: unknown exception";
  }
  return 2;
}

/// Prints `failure` once over all processes (see the file comment).
void report(const Failure& failure, const Processes& processes) {
  if (!processes.distributed()) {
    if (failure.message) fmt::print(stderr, "{}\n", *failure.message);
    return;
  }
  std::vector<double> met(processes.size(), 0.0);  // which ranks met the error themselves
  met[processes.rank()] = failure.message ? 1.0 : 0.0;
  try {
    processes.all_reduce(met, 0);
  } catch (const std::exception&) {  // MPI itself is failing: say what this rank knows
  }
  bool everyone = true;
  for (const double m : met) everyone = everyone && m != 0.0;
  if (failure.message && (!everyone || processes.rank() == 0)) {
    fmt::print(stderr, "{}{}\n", everyone ? "" : fmt::format("rank {}: ", processes.rank()), *failure.message);
  }
  std::fflush(stderr);
  // No rank exits before the message is out: mpirun stops the whole job at the first non-zero
  // exit, which could cut the rank that is printing.
  try {
    processes.all_reduce({}, 0);
  } catch (const std::exception&) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Processes> processes;
  try {
    processes.emplace(argc, argv);
  } catch (const std::exception& error) {
    fmt::print(stderr, "slope: error: {}\n", error.what());
    return 2;
  }
  // Only rank 0 writes results (text, --json); the other ranks compute the same ones.
  if (processes->rank() != 0 && std::freopen("/dev/null", "w", stdout) == nullptr) return 2;
  Failure failure;
  const int status = run_guarded(argc, argv, *processes, failure);
  if (status == 2) report(failure, *processes);
  return status;
}
