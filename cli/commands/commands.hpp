#pragma once
/// \file
/// The subcommands. Each returns the process's exit status (0 success, 1 the optimizer did not
/// converge or the check found a mismatch) and throws for bad input (exit status 2). Over
/// several processes every rank runs the same steps; only rank 0's standard output is kept.

#include <string>

#include "../arguments.hpp"
#include "../processes.hpp"

namespace slope::cli {

/// `slope optimize`: runs the method, prints the result on stdout (text or --json), progress
/// on stderr when stderr is a terminal, and the trace to --trace.
int run_optimize(const Arguments& arguments, const std::string& source, const Processes& processes);

/// `slope gradient`: the objective as written and its gradient at the initial values or --at.
int run_gradient(const Arguments& arguments, const std::string& source, const Processes& processes);

/// `slope check`: the tape's gradient against central finite differences of the objective.
int run_check(const Arguments& arguments, const std::string& source, const Processes& processes);

}  // namespace slope::cli
