#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <system_error>
#include <vector>

#include "slope/optim.hpp"

#include "../output.hpp"
#include "../session.hpp"
#include "commands.hpp"

namespace slope::cli {
namespace {

struct CloseFile {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, CloseFile>;

/// Runs the method --method names, with --step-size where it has one.
Result run_method(const lang::Model& model, std::span<const double> x0, const Arguments& arguments,
                  const StopOptions& stop) {
  const auto objective = model.objective();
  const Bounds bounds = model.bounds();  // the params' bounds; empty: none
  switch (arguments.method) {
    case MethodName::GradientDescent: {
      GradientDescent method;
      if (arguments.step_size) method.step_size = *arguments.step_size;
      return optimize(objective, x0, model.sense(), bounds, method, stop);
    }
    case MethodName::Momentum: {
      Momentum method;
      if (arguments.step_size) method.step_size = *arguments.step_size;
      return optimize(objective, x0, model.sense(), bounds, method, stop);
    }
    case MethodName::Adam: {
      Adam method;
      if (arguments.step_size) method.step_size = *arguments.step_size;
      return optimize(objective, x0, model.sense(), bounds, method, stop);
    }
    case MethodName::Lbfgs: break;
  }
  return optimize(objective, x0, model.sense(), bounds, Lbfgs{}, stop);
}

/// A CSV field for a header name: quoted when it holds a comma (matrix components do).
std::string csv_name(const std::string& name) {
  return name.find(',') == std::string::npos ? name : fmt::format("\"{}\"", name);
}

void write_trace(std::FILE* file, const lang::Model& model, const std::vector<TraceEntry>& trace) {
  fmt::print(file, "iteration,objective,gradient_norm,step");
  const std::vector<lang::ParameterInfo> params = model.parameters();
  for (const lang::ParameterInfo& param : params) {
    for (std::size_t i = 0; i < param.shape.size(); ++i) fmt::print(file, ",{}", csv_name(component_name(param, i)));
  }
  fmt::print(file, "\n");
  for (const TraceEntry& entry : trace) {
    // Shortest round-trip form, so that the trace reads back exactly.
    fmt::print(file, "{},{},{},{}", entry.iteration, entry.value, entry.gradient_norm, entry.step_size);
    for (const double x : entry.x) fmt::print(file, ",{}", x);
    fmt::print(file, "\n");
  }
}

void print_result(const lang::Model& model, const Result& result, bool json) {
  if (json) {
    nlohmann::ordered_json out;
    out["status"] = std::string(to_string(result.status));
    out["sense"] = std::string(to_string(result.sense));
    out["objective"] = result.value;
    out["iterations"] = result.iterations;
    out["evaluations"] = result.evaluations;
    out["gradient_norm"] = result.gradient_norm;
    out["params"] = params_json(model, result.x);
    fmt::print("{}\n", out.dump());
    return;
  }
  fmt::print("status:        {}{}\n", to_string(result.status),
             result.message.empty() ? "" : fmt::format(" ({})", result.message));
  fmt::print("sense:         {}\n", to_string(result.sense));
  fmt::print("objective:     {}\n", number_text(result.value));
  fmt::print("iterations:    {}\n", result.iterations);
  fmt::print("evaluations:   {}\n", result.evaluations);
  fmt::print("gradient norm: {}\n", number_text(result.gradient_norm));
  fmt::print("params:\n{}", params_text(model, result.x));
}

}  // namespace

/// A start given with --at must satisfy the params' bounds (the initial values were checked with
/// the model).
void require_inside_bounds(const lang::Model& model, std::span<const double> x0) {
  const Bounds bounds = model.bounds();
  if (bounds.unbounded()) return;
  for (const lang::ParameterInfo& param : model.parameters()) {
    for (std::size_t i = 0; i < param.shape.size(); ++i) {
      const std::size_t k = param.offset + i;
      if (x0[k] >= bounds.lower[k] && x0[k] <= bounds.upper[k]) continue;
      throw UsageError(fmt::format("--at {}: {} = {} is outside its bounds [{}, {}]", param.name,
                                   component_name(param, i), x0[k], bounds.lower[k], bounds.upper[k]));
    }
  }
}

int run_optimize(const Arguments& arguments, const std::string& source, const Processes& processes) {
  if (arguments.step_size && arguments.method == MethodName::Lbfgs) {
    throw UsageError("--step-size applies to --method gd, momentum or adam; L-BFGS finds its steps by line search");
  }
  const auto started = std::chrono::steady_clock::now();
  const lang::Model model = load_model(arguments, source, processes);
  const std::vector<double> x0 = starting_point(model, arguments);
  require_inside_bounds(model, x0);
  std::vector<double> gradient(x0.size());
  (void)evaluate_checked(model, x0, gradient);

  // Opened before the run, so that a bad path fails at once rather than after a long run; by
  // rank 0 alone over several processes (they all have the same trace).
  File trace_file;
  std::exception_ptr failure;
  if (arguments.trace && processes.rank() == 0) {
    trace_file.reset(std::fopen(arguments.trace->c_str(), "w"));
    if (!trace_file) {
      failure = std::make_exception_ptr(UsageError(fmt::format(
          "--trace: cannot write {}: {}", arguments.trace->string(), std::generic_category().message(errno))));
    }
  }
  processes.settle(failure);
  std::vector<TraceEntry> trace;
  StopOptions stop;
  stop.max_iterations = arguments.max_iterations;
  stop.max_evaluations = arguments.max_evaluations;
  stop.gradient_tolerance = arguments.tolerance;
  if (trace_file) stop.trace = &trace;
  // Progress is for a person watching: never mixed into a pipe or a log that a program reads.
  // First-order methods take thousands of cheap iterations: one line per 100 keeps it readable.
  if (isatty(STDERR_FILENO) != 0) {
    stop.callback = progress_printer(stderr, arguments.method == MethodName::Lbfgs ? 1 : 100);
  }

  const auto fitting = std::chrono::steady_clock::now();
  const Result result = run_method(model, x0, arguments, stop);
  if (arguments.timing && processes.rank() == 0) {
    const auto finished = std::chrono::steady_clock::now();
    const std::chrono::duration<double> setup = fitting - started, fit = finished - fitting;
    fmt::print(stderr, "timing: reading and checking {:.3f} s, optimizing {:.3f} s ({} evaluations)\n", setup.count(),
               fit.count(), result.evaluations);
  }
  if (trace_file) write_trace(trace_file.get(), model, trace);
  print_result(model, result, arguments.json);
  return result.converged() ? 0 : 1;
}

}  // namespace slope::cli
