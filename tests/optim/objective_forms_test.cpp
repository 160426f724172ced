// Every form of objective gives the same run: a function of Vars (taped), a function writing
// its gradient, objects with value_and_gradient or value + gradient members, const ones.
// A function of Vars is taped for its first evaluations, then recorded once and replayed,
// recorded again where a branch flips, and recorded at every call with record_every_call or
// when it cannot be replayed.
// Also the progress printer's output.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/optim.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

using slope::Var;

namespace {

/// f(x) = sum_i (i + 1) (x_i - 1)^2 + x_0 x_1, the same in every form.
Var taped(std::span<const Var> x) {
  Var s = x[0] * x[1];
  for (std::size_t i = 0; i < x.size(); ++i) s += (1.0 + static_cast<double>(i)) * square(x[i] - 1.0);
  return s;
}

double by_hand(std::span<const double> x, std::span<double> g) {
  double s = x[0] * x[1];
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double c = 1.0 + static_cast<double>(i);
    s += c * (x[i] - 1.0) * (x[i] - 1.0);
    g[i] = 2.0 * c * (x[i] - 1.0);
  }
  g[0] += x[1];
  g[1] += x[0];
  return s;
}

struct Combined {
  int calls = 0;
  double value_and_gradient(std::span<const double> x, std::span<double> g) {
    ++calls;
    return by_hand(x, g);
  }
};

struct Separate {
  double value(std::span<const double> x) const {
    std::vector<double> g(x.size());
    return by_hand(x, g);
  }
  void gradient(std::span<const double> x, std::span<double> g) const { by_hand(x, g); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(objective_forms)

BOOST_AUTO_TEST_CASE(the_concept_accepts_each_form_and_rejects_others) {
  static_assert(slope::Objective<decltype(taped)>);
  static_assert(slope::Objective<decltype(by_hand)>);
  static_assert(slope::Objective<Combined>);
  static_assert(slope::Objective<const Separate>);
  static_assert(!slope::Objective<int>);
  static_assert(!slope::Objective<double(double)>);
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(every_form_gives_the_same_run) {
  const std::vector<double> start{3.0, -2.0, 0.5};
  const slope::Result a = slope::minimize(taped, start);
  const slope::Result b = slope::minimize(by_hand, start);
  Combined combined;
  const slope::Result c = slope::minimize(combined, start);
  const Separate separate;
  const slope::Result d = slope::minimize(separate, start);
  const auto generic = [](auto x) { return taped(x); };
  const slope::Result e = slope::minimize(generic, start);
  for (const slope::Result* r : {&a, &b, &c, &d, &e}) {
    BOOST_TEST(r->converged());
    BOOST_TEST(r->iterations == a.iterations);
    for (std::size_t i = 0; i < start.size(); ++i) BOOST_TEST(std::fabs(r->x[i] - a.x[i]) <= 1e-12);
  }
  BOOST_TEST(static_cast<std::size_t>(combined.calls) == c.evaluations);
}

/// |x_0 - 2| written with a branch, plus a smooth part: the recorded path flips as x_0 crosses 2.
Var branchy(std::span<const Var> x) {
  const Var kink = x[0] > 2.0 ? Var(x[0] - 2.0) : Var(2.0 - x[0]);  // two expression types: name the Var
  return 0.1 * kink + square(x[0] - 2.5) + square(x[1] + 1.0);
}

double branchy_by_hand(std::span<const double> x, std::span<double> g) {
  const bool above = x[0] > 2.0;
  g[0] = (above ? 0.1 : -0.1) + 2.0 * (x[0] - 2.5);
  g[1] = 2.0 * (x[1] + 1.0);
  return 0.1 * (above ? x[0] - 2.0 : 2.0 - x[0]) + (x[0] - 2.5) * (x[0] - 2.5) + (x[1] + 1.0) * (x[1] + 1.0);
}

BOOST_AUTO_TEST_CASE(a_taped_objective_is_recorded_once_and_replayed) {
  const auto f = [](std::span<const Var> x) { return taped(x); };
  slope::TapedObjective<const decltype(f)> objective(f, 0);  // recorded at the first evaluation
  std::vector<double> x{3.0, -2.0, 0.5}, g(3), want(3);
  for (int call = 0; call < 5; ++call) {
    x[1] += 0.25;
    const double v = objective(x, g);
    BOOST_TEST(v == by_hand(x, want));
    for (std::size_t i = 0; i < x.size(); ++i) BOOST_TEST(std::fabs(g[i] - want[i]) <= 1e-12);
  }
  BOOST_TEST(objective.recordings() == 1U);
}

BOOST_AUTO_TEST_CASE(a_taped_objective_told_to_record_at_once_replays_a_whole_run) {
  int calls = 0;
  const auto f = [&calls](std::span<const Var> x) {
    ++calls;
    return taped(x);
  };
  slope::TapedObjective<const decltype(f)> objective(f, 0);
  const slope::Result r = slope::minimize(objective, {3.0, -2.0, 0.5});
  BOOST_TEST(r.converged());
  BOOST_TEST(calls == 1);
  BOOST_TEST(objective.recordings() == 1U);
  const slope::Result taped_run = slope::minimize(slope::record_every_call(f), {3.0, -2.0, 0.5});
  for (std::size_t i = 0; i < r.x.size(); ++i) BOOST_TEST(std::fabs(r.x[i] - taped_run.x[i]) <= 1e-8);
}

BOOST_AUTO_TEST_CASE(a_taped_objective_is_taped_for_its_first_evaluations_then_replayed) {
  int calls = 0;
  const auto f = [&calls](std::span<const Var> x) {
    ++calls;
    return taped(x);
  };
  using Objective = slope::TapedObjective<const decltype(f)>;
  Objective objective(f);
  std::vector<double> x{3.0, -2.0, 0.5}, g(3), want(3);
  const std::size_t evaluations = Objective::kTapedFirst + 10;
  for (std::size_t call = 0; call < evaluations; ++call) {
    x[1] += 0.01;
    const double v = objective(x, g);
    BOOST_TEST(std::fabs(v - by_hand(x, want)) <= 1e-12 * std::fabs(v));
    for (std::size_t i = 0; i < x.size(); ++i) BOOST_TEST(std::fabs(g[i] - want[i]) <= 1e-12);
    // f runs at every taped evaluation, once more to record it, then never
    const std::size_t taped_so_far = std::min<std::size_t>(call + 1, Objective::kTapedFirst);
    BOOST_TEST(static_cast<std::size_t>(calls) == taped_so_far + (call + 1 > Objective::kTapedFirst ? 1 : 0));
    BOOST_TEST(objective.recordings() == (call + 1 > Objective::kTapedFirst ? 1U : 0U));
  }
}

BOOST_AUTO_TEST_CASE(a_branch_that_flips_is_recorded_again_and_stays_exact) {
  slope::TapedObjective<decltype(branchy)> objective(branchy, 0);
  std::vector<double> g(2), want(2);
  for (const double x0 : {1.0, 1.5, 2.5, 3.0, 1.2}) {  // below 2, above 2 (a flip), below again
    const std::vector<double> x{x0, 0.3};
    const double v = objective(x, g);
    BOOST_TEST(std::fabs(v - branchy_by_hand(x, want)) <= 1e-15);
    BOOST_TEST(std::fabs(g[0] - want[0]) <= 1e-15, "x0 = " << x0 << ": " << g[0] << " vs " << want[0]);
  }
  BOOST_TEST(objective.recordings() == 3U);
  const slope::Result replayed = slope::minimize(branchy, {0.0, 0.0});
  const slope::Result recorded = slope::minimize(slope::record_every_call(branchy), {0.0, 0.0});
  BOOST_TEST(replayed.converged());
  BOOST_TEST(std::fabs(replayed.x[0] - 2.45) <= 1e-6);  // 2 (x_0 - 2.5) + 0.1 = 0
  BOOST_TEST(std::fabs(replayed.x[0] - recorded.x[0]) <= 1e-9);
  BOOST_TEST(std::fabs(replayed.x[1] - recorded.x[1]) <= 1e-9);
}

BOOST_AUTO_TEST_CASE(record_every_call_runs_the_function_at_every_evaluation) {
  int calls = 0;
  const auto counted = [&calls](std::span<const Var> x) {
    ++calls;
    return taped(x);
  };
  const slope::Result r = slope::minimize(slope::record_every_call(counted), {3.0, -2.0, 0.5});
  BOOST_TEST(r.converged());
  BOOST_TEST(static_cast<std::size_t>(calls) == r.evaluations);
  calls = 0;
  const slope::Result replayed = slope::minimize(counted, {3.0, -2.0, 0.5});
  // taped for its first evaluations, then recorded once (if the run lasts longer)
  constexpr std::size_t taped_first = slope::TapedObjective<decltype(counted)>::kTapedFirst;
  const std::size_t expected =
      std::min(replayed.evaluations, taped_first) + (replayed.evaluations > taped_first ? 1 : 0);
  BOOST_TEST(static_cast<std::size_t>(calls) == expected);
  BOOST_TEST(replayed.iterations == r.iterations);
}

BOOST_AUTO_TEST_CASE(runs_that_share_the_thread_tape_give_the_same_bits) {
  // A taped objective borrows this thread's tape for its run: the next run, a run started inside
  // an objective (nested: it gets a tape of its own) and a copied record_every_call all see the
  // same recordings as a run of their own.
  const slope::Result first = slope::minimize(slope::record_every_call(taped), {3.0, -2.0, 0.5});
  const slope::Result again = slope::minimize(slope::record_every_call(taped), {3.0, -2.0, 0.5});
  BOOST_TEST(again.x == first.x);
  BOOST_TEST(again.evaluations == first.evaluations);

  const auto original = slope::record_every_call(taped);
  auto copy = original;  // borrows a tape of its own
  const slope::Result from_copy = slope::minimize(copy, {3.0, -2.0, 0.5});
  BOOST_TEST(from_copy.x == first.x);

  std::vector<double> inner_x;
  const auto outer = [&](std::span<const Var> x) {
    if (inner_x.empty()) inner_x = slope::minimize(slope::record_every_call(taped), {3.0, -2.0, 0.5}).x;
    return square(x[0] - 2.0) + square(x[1]);
  };
  const slope::Result outer_run = slope::minimize(slope::record_every_call(outer), {0.0, 1.0});
  BOOST_TEST(outer_run.converged());
  BOOST_TEST(std::fabs(outer_run.x[0] - 2.0) <= 1e-6);
  BOOST_TEST(inner_x == first.x);
}

BOOST_AUTO_TEST_CASE(an_objective_a_function_cannot_replay_is_taped_every_call) {
  // custom_op's partials are numbers, which a replay could not recompute: taped instead.
  const auto f = [](std::span<const Var> x) {
    const double v = x[0].value() - 1.0;
    return slope::custom_op(std::span<const Var>(x.data(), 1), v * v, std::vector<double>{2.0 * v}) + square(x[1]);
  };
  const slope::Result r = slope::minimize(f, {3.0, 2.0});
  BOOST_TEST(r.converged());
  BOOST_TEST(std::fabs(r.x[0] - 1.0) <= 1e-6);
  BOOST_TEST(std::fabs(r.x[1]) <= 1e-6);
}

BOOST_AUTO_TEST_CASE(the_progress_printer_writes_a_header_and_rows) {
  std::FILE* out = std::tmpfile();
  BOOST_REQUIRE(out != nullptr);
  const slope::Result r =
      slope::minimize(taped, {3.0, -2.0, 0.5}, slope::Lbfgs{}, {.callback = slope::progress_printer(out, 1)});
  std::rewind(out);
  std::string text;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, out) != nullptr) text += buffer;
  std::fclose(out);
  BOOST_TEST(text.find("iteration") != std::string::npos);
  BOOST_TEST(text.find("objective") != std::string::npos);
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  BOOST_TEST(lines == r.iterations + 1);  // the header, then one row per iteration
}

BOOST_AUTO_TEST_SUITE_END()
