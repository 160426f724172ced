#pragma once
/// \file
/// Runs the `slope` binary as a child process, with its stdout and stderr captured, for the
/// end-to-end tests.

#include <string>
#include <vector>

namespace slope::test {

/// What a run printed and how it ended.
struct ProcessResult {
  int exit_code = -1;      ///< -1 when it did not exit normally (killed, crashed, timed out)
  bool timed_out = false;
  std::string out;         ///< stdout
  std::string err;         ///< stderr (through a terminal: "\r\n" line ends)
};

/// How to run it.
struct RunOptions {
  bool stderr_is_terminal = false;  ///< attach stderr to a pseudo-terminal instead of a pipe
  double timeout_seconds = 60.0;    ///< then the child is killed and timed_out is set
};

/// Runs `program` with `arguments` (argv[1...]) and waits for it.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& arguments,
                          const RunOptions& options = {});

}  // namespace slope::test
