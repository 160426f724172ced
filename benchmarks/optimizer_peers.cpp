// slope_bench_optimizer: Slope's L-BFGS against LBFGSpp and liblbfgs (the Debian packages) on
// the same problems from the same starting points, in one run.
//
// First every problem's hand-written gradient is checked (against finite differences, and the
// taped gradient against it). Then each library solves each problem once, untimed: the first
// table shows iterations, evaluations, where each run stopped and whether it reached the known
// minimum f*. Then Google Benchmark times whole runs, one row per problem and library (plus
// Slope with a taped objective), repetitions interleaved at random, and the second table
// divides medians from that same run. The settings each library gets are in
// support/lbfgs_runs.hpp; every library stops on the same test, max_i |g_i| <= 1e-6 (LBFGSpp,
// which tests only ‖g‖₂, by an iteration limit found before timing: see lbfgs_runs.hpp).
// `--smoke` runs two problems briefly (for CTest); any --benchmark_* flag replaces the
// corresponding default.
//
// Exit status 1 when a gradient check fails, when Slope fails to reach f* on a problem, or (with
// --smoke) when any library does; a peer's failure in a full run is reported, not fatal.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <slope/autodiff.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "problems/problems.hpp"
#include "support/default_flags.hpp"
#include "support/gradient_check.hpp"
#include "support/lbfgs_runs.hpp"
#include "support/median_reporter.hpp"
#include "support/summary_out.hpp"
#include "support/table.hpp"

namespace slope::bench {
namespace {

/// The targets against LBFGSpp: evaluations on the median problem, and time per
/// iteration (same hand-written gradient).
constexpr double kEvaluationRatioTarget = 1.0;
constexpr double kTimePerIterationTarget = 1.1;

/// The problems `--smoke` runs.
constexpr std::array<std::string_view, 2> kSmokeProblems = {"rosenbrock", "logistic_nll"};

enum class Solver { Slope, Lbfgspp, Liblbfgs, SlopeTaped };
constexpr std::array kSolvers = {Solver::Slope, Solver::Lbfgspp, Solver::Liblbfgs, Solver::SlopeTaped};

std::string_view solver_name(Solver solver) {
  switch (solver) {
    case Solver::Slope: return "slope";
    case Solver::Lbfgspp: return "lbfgspp";
    case Solver::Liblbfgs: return "liblbfgs";
    case Solver::SlopeTaped: return "slope_taped";
  }
  return "?";
}

std::string_view solver_title(Solver solver) {
  switch (solver) {
    case Solver::Slope: return "Slope";
    case Solver::Lbfgspp: return "LBFGSpp";
    case Solver::Liblbfgs: return "liblbfgs";
    case Solver::SlopeTaped: return "Slope, taped";
  }
  return "?";
}

/// One run; `lbfgspp_stop_after` is LBFGSpp's iteration limit standing for the test
/// max_i |g_i| <= tolerance (0: its own ‖g‖₂ test).
template <Problem P>
RunOutcome solve(Solver solver, const P& problem, const SolverSettings& settings, std::size_t lbfgspp_stop_after) {
  switch (solver) {
    case Solver::Slope: return run_slope(problem, settings);
    case Solver::Lbfgspp: return run_lbfgspp(problem, settings, lbfgspp_stop_after);
    case Solver::Liblbfgs: return run_liblbfgs(problem, settings);
    case Solver::SlopeTaped: return run_slope_taped(problem, settings);
  }
  return {};
}

/// A run's outcome with the gradient at its final point (recomputed with the hand-written
/// gradient, the same for every library) and whether it reached f*.
struct Judged {
  RunOutcome run;
  double max_gradient = std::numeric_limits<double>::quiet_NaN();   ///< max_i |g_i| at x
  double gradient_norm = std::numeric_limits<double>::quiet_NaN();  ///< ‖g‖₂ at x
  bool reached = false;                                             ///< |f(x) − f*| <= the problem's tolerance
  [[nodiscard]] bool ok() const { return run.converged && reached; }
};

template <Problem P>
Judged judge(const P& problem, RunOutcome run) {
  Judged judged;
  if (run.x.size() == problem.x0.size()) {
    std::vector<double> grad(run.x.size());
    const double value = problem.gradient(run.x, grad);
    judged.max_gradient = 0.0;
    double squares = 0.0;
    for (const double g : grad) {
      judged.max_gradient = std::max(judged.max_gradient, std::abs(g));
      squares += g * g;
    }
    judged.gradient_norm = std::sqrt(squares);
    judged.reached = std::abs(value - problem.minimum) <= problem.value_tolerance;
  }
  judged.run = std::move(run);
  return judged;
}

/// Central finite differences of the problem at x, step cbrt(eps)·max(1, |x_i|).
template <Problem P>
std::vector<double> finite_difference_gradient(const P& problem, std::span<const double> x) {
  const double step_scale = std::cbrt(std::numeric_limits<double>::epsilon());
  std::vector<double> point(x.begin(), x.end());
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double h = step_scale * std::max(1.0, std::abs(x[i]));
    point[i] = x[i] + h;
    const double up = problem.evaluate(std::span<const double>(point));
    point[i] = x[i] - h;
    const double down = problem.evaluate(std::span<const double>(point));
    point[i] = x[i];
    out[i] = (up - down) / (2.0 * h);
  }
  return out;
}

/// Checks at x0 and at a point beside it that the hand-written value equals the primal's, its
/// gradient matches central finite differences, and the taped value and gradient match it
/// within kGradientTolerance. Throws GradientCheckError naming the problem and point.
template <Problem P>
void check_gradients(const P& problem) {
  constexpr double kFiniteDifferenceTolerance = 1e-6;  // relative to the gradient's largest entry
  std::vector<double> beside = problem.x0;
  for (std::size_t i = 0; i < beside.size(); ++i) {
    beside[i] += 0.1 * (i % 2 == 0 ? 1.0 : -0.5) * static_cast<double>(1 + i % 3);
  }
  const std::vector<double>* points[] = {&problem.x0, &beside};
  const char* point_names[] = {"x0", "beside x0"};
  for (std::size_t p = 0; p < 2; ++p) {
    const std::span<const double> x(*points[p]);
    const auto where = [&](std::string_view what) {
      return fmt::format("problem {}, {} at {}", problem.name, what, point_names[p]);
    };
    const double primal = problem.evaluate(x);
    std::vector<double> hand(x.size());
    const double hand_value = problem.gradient(x, hand);
    require_close({&hand_value, 1}, {&primal, 1}, kGradientTolerance, where("hand-written value"));
    require_close(hand, finite_difference_gradient(problem, x), kFiniteDifferenceTolerance,
                  where("hand-written gradient against finite differences"), 1.0);
    const auto taped =
        slope::value_and_gradient([&problem](std::span<const slope::Var> v) { return problem.evaluate(v); }, x);
    require_close({&taped.value, 1}, {&primal, 1}, kGradientTolerance, where("taped value"));
    require_close(taped.gradient, hand, kGradientTolerance, where("taped gradient"));
  }
}

/// One problem's benchmark state: the problem, whether this run includes it, where LBFGSpp
/// stops on max_i |g_i| (and on its own ‖g‖₂ test), and each solver's untimed reference outcome.
template <Problem P>
struct ProblemBench {
  const P* problem;
  bool selected = true;
  LbfgsppStop lbfgspp_stop{};
  std::array<Judged, kSolvers.size()> outcomes{};
};

std::string row_name(std::string_view problem, Solver solver) {
  return fmt::format("{}/{}", problem, solver_name(solver));
}

/// Registers one row per solver: each timed call is a whole run from x0, which must take as
/// many evaluations as the reference run (the runs are deterministic).
template <Problem P>
void register_rows(const ProblemBench<P>& bench, const SolverSettings& settings) {
  if (!bench.selected) return;
  for (std::size_t s = 0; s < kSolvers.size(); ++s) {
    const Solver solver = kSolvers[s];
    const std::size_t expected = bench.outcomes[s].run.evaluations;
    const std::size_t stop_after = bench.lbfgspp_stop.max_gradient_iterations;
    benchmark::RegisterBenchmark(row_name(bench.problem->name, solver).c_str(),
                                 [&bench, &settings, solver, expected, stop_after](benchmark::State& state) {
                                   for (auto _ : state) {
                                     RunOutcome outcome = solve(solver, *bench.problem, settings, stop_after);
                                     benchmark::DoNotOptimize(outcome.value);
                                     if (outcome.evaluations != expected) {
                                       state.SkipWithError("a run took a different number of evaluations");
                                       break;
                                     }
                                   }
                                 });
  }
}

std::string number(double v, const char* format = "{:.3g}") {
  return std::isnan(v) ? "n/a" : fmt::format(fmt::runtime(format), v);
}

/// Appends the problem's convergence rows, one per solver.
template <Problem P>
void add_convergence_rows(Table& table, const ProblemBench<P>& bench) {
  if (!bench.selected) return;
  for (std::size_t s = 0; s < kSolvers.size(); ++s) {
    const Judged& j = bench.outcomes[s];
    const std::string verdict = j.ok() ? "yes" : (j.reached ? "FAIL (not converged)" : "FAIL");
    table.add_row({s == 0 ? fmt::format("{} (n={}, f*={:.6g})", bench.problem->name, bench.problem->x0.size(),
                                        bench.problem->minimum)
                          : "",
                   std::string(solver_title(kSolvers[s])), j.run.status,
                   j.run.iterations_known ? fmt::format("{}", j.run.iterations) : "?",
                   fmt::format("{}", j.run.evaluations), number(j.run.value, "{:.10g}"),
                   number(std::abs(j.run.value - bench.problem->minimum), "{:.1e}"), number(j.max_gradient, "{:.1e}"),
                   number(j.gradient_norm, "{:.1e}"), verdict});
  }
}

/// What the summary needs of one problem.
struct ProblemSummary {
  std::string name;
  double minimum = 0.0;
  double value_tolerance = 0.0;
  std::array<Judged, kSolvers.size()> outcomes;
  std::array<double, kSolvers.size()> median_ns{};
  std::array<double, kSolvers.size()> cv{};
};

template <Problem P>
void summarize(std::vector<ProblemSummary>& out, const ProblemBench<P>& bench, const MedianReporter& medians) {
  if (!bench.selected) return;
  ProblemSummary summary{
      std::string(bench.problem->name), bench.problem->minimum, bench.problem->value_tolerance, bench.outcomes, {}, {}};
  for (std::size_t s = 0; s < kSolvers.size(); ++s) {
    summary.median_ns[s] = medians.median_ns(row_name(bench.problem->name, kSolvers[s]));
    summary.cv[s] = medians.cv(row_name(bench.problem->name, kSolvers[s]));
  }
  out.push_back(std::move(summary));
}

double median(std::vector<double> values) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const std::size_t half = values.size() / 2;
  return values.size() % 2 == 1 ? values[half] : 0.5 * (values[half - 1] + values[half]);
}

constexpr std::size_t kSlope = 0, kLbfgspp = 1, kLiblbfgs = 2, kTaped = 3;  // indices into kSolvers

/// Time per iteration of solver a over that of solver b on one problem.
double per_iteration_ratio(const ProblemSummary& p, std::size_t a, std::size_t b) {
  const auto per_iteration = [&](std::size_t s) {
    return p.median_ns[s] / static_cast<double>(std::max<std::size_t>(1, p.outcomes[s].run.iterations));
  };
  return per_iteration(a) / per_iteration(b);
}

/// "yes (1.8x margin)" or "NO (1.3x over)": how a ratio compares with its target.
std::string verdict(double value, double target) {
  if (std::isnan(value)) return "n/a";
  if (value <= target) return fmt::format("yes ({:.2f}x margin)", target / value);
  return fmt::format("NO ({:.2f}x over)", value / target);
}

/// The timing table: medians of whole runs and their ratios.
std::string timing_table(const std::vector<ProblemSummary>& summaries) {
  Table table({"problem", "Slope us", "LBFGSpp us", "liblbfgs us", "S/LBFGSpp", "S/liblbfgs", "S/LBFGSpp per it",
               "S/liblbfgs per it", "taped us", "taped/hand", "cv S/P/L/T"});
  for (const ProblemSummary& p : summaries) {
    const auto us = [&](std::size_t s) { return number(p.median_ns[s] / 1e3, "{:.1f}"); };
    const auto ratio = [](double r) { return number(r, "{:.2f}"); };
    table.add_row({p.name, us(kSlope), us(kLbfgspp), us(kLiblbfgs), ratio(p.median_ns[kSlope] / p.median_ns[kLbfgspp]),
                   ratio(p.median_ns[kSlope] / p.median_ns[kLiblbfgs]), ratio(per_iteration_ratio(p, kSlope, kLbfgspp)),
                   ratio(per_iteration_ratio(p, kSlope, kLiblbfgs)), us(kTaped),
                   ratio(p.median_ns[kTaped] / p.median_ns[kSlope]),
                   std::isnan(p.cv[kSlope])
                       ? "n/a"
                       : fmt::format("{:.0f}/{:.0f}/{:.0f}/{:.0f}%", 100.0 * p.cv[kSlope], 100.0 * p.cv[kLbfgspp],
                                     100.0 * p.cv[kLiblbfgs], 100.0 * p.cv[kTaped])});
  }
  return table.str();
}

/// The targets' lines, over the problems on which both Slope and LBFGSpp reached f* (a failed
/// run's evaluations are not "to convergence"); the time ratios also need both rows timed.
void print_targets(const std::vector<ProblemSummary>& summaries) {
  std::vector<double> slope_evaluations, lbfgspp_evaluations, evaluation_ratios, per_iteration_ratios,
      per_iteration_ratios_liblbfgs;
  for (const ProblemSummary& p : summaries) {
    if (!p.outcomes[kSlope].ok() || !p.outcomes[kLbfgspp].ok()) continue;
    const auto evaluations = [&](std::size_t s) { return static_cast<double>(p.outcomes[s].run.evaluations); };
    slope_evaluations.push_back(evaluations(kSlope));
    lbfgspp_evaluations.push_back(evaluations(kLbfgspp));
    evaluation_ratios.push_back(evaluations(kSlope) / evaluations(kLbfgspp));
    const double ratio = per_iteration_ratio(p, kSlope, kLbfgspp);
    if (!std::isnan(ratio)) per_iteration_ratios.push_back(ratio);
    const double ratio_liblbfgs = per_iteration_ratio(p, kSlope, kLiblbfgs);
    if (p.outcomes[kLiblbfgs].ok() && !std::isnan(ratio_liblbfgs))
      per_iteration_ratios_liblbfgs.push_back(ratio_liblbfgs);
  }
  const double evaluation_ratio = median(evaluation_ratios);
  const double per_iteration = median(per_iteration_ratios);
  fmt::print("\ntargets, over the problems where Slope and LBFGSpp both reached f*:\n");
  fmt::print(
      "evaluations ({} of {} problems): median Slope {:g} vs LBFGSpp {:g}; median over problems of Slope/LBFGSpp "
      "{:.2f}, target <= {:g}: {}\n",
      evaluation_ratios.size(), summaries.size(), median(slope_evaluations), median(lbfgspp_evaluations),
      evaluation_ratio, kEvaluationRatioTarget, verdict(evaluation_ratio, kEvaluationRatioTarget));
  fmt::print(
      "time per iteration ({} problems timed): median over problems of Slope/LBFGSpp {:.2f}, target <= {:g}: {}; "
      "Slope/liblbfgs {:.2f}\n",
      per_iteration_ratios.size(), per_iteration, kTimePerIterationTarget,
      verdict(per_iteration, kTimePerIterationTarget), median(per_iteration_ratios_liblbfgs));
}

/// One machine-readable row per problem and library: the reference run and the timing.
void add_summary_out(SummaryOut& out, const std::vector<ProblemSummary>& summaries) {
  for (const ProblemSummary& p : summaries) {
    for (std::size_t s = 0; s < kSolvers.size(); ++s) {
      const Judged& j = p.outcomes[s];
      out.add("runs", {{"problem", p.name},
                       {"n", static_cast<double>(j.run.x.size())},
                       {"minimum", p.minimum},
                       {"solver", std::string(solver_name(kSolvers[s]))},
                       {"status", j.run.status},
                       {"converged", j.run.converged},
                       {"reached", j.reached},
                       {"iterations", j.run.iterations_known ? static_cast<double>(j.run.iterations) : NAN},
                       {"evaluations", static_cast<double>(j.run.evaluations)},
                       {"value", j.run.value},
                       {"max_gradient", j.max_gradient},
                       {"median_ns", p.median_ns[s]},
                       {"cv", p.cv[s]}});
    }
  }
}

/// Prints every run that did not converge to f*; returns true if one of them is fatal: Slope's,
/// or anyone's in a smoke run.
bool report_failures(const std::vector<ProblemSummary>& summaries, bool smoke) {
  bool fatal_seen = false;
  for (const ProblemSummary& p : summaries) {
    for (std::size_t s = 0; s < kSolvers.size(); ++s) {
      const Judged& j = p.outcomes[s];
      if (j.ok()) continue;
      const bool fatal = smoke || kSolvers[s] == Solver::Slope || kSolvers[s] == Solver::SlopeTaped;
      fatal_seen = fatal_seen || fatal;
      fmt::print(
          "{}: {} on {}: {}; status {}, f = {:.10g} (f* = {:.10g}, |f - f*| = {:.2e}, tolerance {:.1e}), "
          "max|g| = {:.2e} after {} iterations, {} evaluations\n",
          fatal ? "FAILED" : "peer failed", solver_title(kSolvers[s]), p.name,
          j.run.converged ? "did not reach f*" : (j.reached ? "did not converge" : "did not converge nor reach f*"),
          j.run.status, j.run.value, p.minimum, std::abs(j.run.value - p.minimum), p.value_tolerance, j.max_gradient,
          j.run.iterations_known ? fmt::format("{}", j.run.iterations) : "?", j.run.evaluations);
    }
  }
  return fatal_seen;
}

/// The most repetitions any timed row had (rows filtered out have none).
std::size_t repetitions(const std::vector<ProblemSummary>& summaries, const MedianReporter& reporter) {
  std::size_t most = 0;
  for (const ProblemSummary& p : summaries) {
    for (const Solver solver : kSolvers) most = std::max(most, reporter.repetitions(row_name(p.name, solver)));
  }
  return most;
}

/// Calls f on every element of a tuple, in order.
template <class Tuple, class F>
void for_each(Tuple& tuple, F f) {
  std::apply([&f](auto&... element) { (f(element), ...); }, tuple);
}

int run(int argc, char** argv) {
  CommandLine command_line(argc, argv, {"--smoke", kSummaryOutFlag});
  const bool smoke = command_line.has("--smoke");
  SummaryOut summary("optimizer", command_line.value(kSummaryOutFlag), smoke);
  // Each repetition is one batch of whole runs lasting at least min_time CPU seconds (3 ms, so
  // each batch is >= 2 ms), 200 batches per row, rows interleaved at random: medians are taken
  // over 200 batches of each library on each problem.
  command_line.add_defaults({"--benchmark_enable_random_interleaving=true",
                             smoke ? "--benchmark_repetitions=2" : "--benchmark_repetitions=200",
                             smoke ? "--benchmark_min_time=0.0002" : "--benchmark_min_time=0.003"});
  std::vector<char*> args = command_line.argv();
  int args_count = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 2;

  const SolverSettings settings;
  const AllProblems problems = make_problems();
  auto benches = std::apply(
      [](const auto&... p) { return std::make_tuple(ProblemBench<std::decay_t<decltype(p)>>{&p}...); }, problems);
  for_each(benches, [&](auto& bench) {
    const std::string_view name = bench.problem->name;
    bench.selected = !smoke || std::find(kSmokeProblems.begin(), kSmokeProblems.end(), name) != kSmokeProblems.end();
  });

  try {
    for_each(benches, [](const auto& bench) {
      if (bench.selected) check_gradients(*bench.problem);
    });
  } catch (const GradientCheckError& error) {
    fmt::print(stderr, "gradient check FAILED: {}\n", error.what());
    return 1;
  }
  fmt::print(
      "gradient checks passed: hand-written gradients match finite differences, taped ones match them within "
      "{:g}\n",
      kGradientTolerance);

  for_each(benches, [&](auto& bench) {
    if (!bench.selected) return;
    bench.lbfgspp_stop = lbfgspp_max_gradient_stop(*bench.problem, settings);
    for (std::size_t s = 0; s < kSolvers.size(); ++s) {
      bench.outcomes[s] =
          judge(*bench.problem, solve(kSolvers[s], *bench.problem, settings, bench.lbfgspp_stop.max_gradient_iterations));
    }
  });
  Table convergence({"problem", "library", "status", "iterations", "evaluations", "final f", "|f - f*|", "max|g|",
                     "|g|_2", "reached f*"});
  for_each(benches, [&](const auto& bench) { add_convergence_rows(convergence, bench); });
  fmt::print(
      "\nconvergence: L-BFGS, m = {}, from the standard start; every library stops at max|g| <= {:g} (LBFGSpp, whose\n"
      "own test is on |g|_2, by an iteration limit set to its first iterate with max|g| <= {:g}, found by untimed\n"
      "reruns); max|g| and |g|_2 recomputed at the returned x with the hand-written gradient\n{}",
      settings.memory, settings.gradient_tolerance, settings.gradient_tolerance, convergence.str());
  fmt::print("LBFGSpp's own test |g|_2 <= {:g} would stop it after (iterations):", settings.gradient_tolerance);
  for_each(benches, [&](const auto& bench) {
    if (!bench.selected) return;
    const LbfgsppStop& stop = bench.lbfgspp_stop;
    fmt::print(" {} {}{}{};", bench.problem->name, stop.norm2_iterations, stop.norm2_converged ? "" : " (not converged)",
               stop.max_gradient_iterations == 0 ? " (no max|g| stop found: timed with this |g|_2 test)" : "");
  });
  fmt::print("\n\n");

  for_each(benches, [&](const auto& bench) { register_rows(bench, settings); });
  MedianReporter reporter(*benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  std::vector<ProblemSummary> summaries;
  for_each(benches, [&](const auto& bench) { summarize(summaries, bench, reporter); });
  fmt::print(
      "\n{}time per run: median CPU time of a whole run from x0 over {} interleaved repetitions per row{};\n"
      "S = Slope with the hand-written gradient; per it = time per iteration; taped = Slope with the\n"
      "objective from its Var template (as minimize takes it: taped for 50 evaluations, then\n"
      "replayed); cv = spread of the repetitions (Slope/LBFGSpp/liblbfgs/taped)\n{}",
      smoke ? "SMOKE RUN, timings meaningless. " : "", repetitions(summaries, reporter),
      smoke ? "" : " (each a batch of >= 2 ms)", timing_table(summaries));
  print_targets(summaries);
  add_summary_out(summary, summaries);
  summary.add("targets", {{"evaluation_ratio", kEvaluationRatioTarget}, {"time_per_iteration_ratio", kTimePerIterationTarget}});
  const bool written = summary.write();
  return report_failures(summaries, smoke) || !written ? 1 : 0;
}

}  // namespace
}  // namespace slope::bench

int main(int argc, char** argv) { return slope::bench::run(argc, argv); }
