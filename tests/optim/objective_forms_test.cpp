// Every form of objective gives the same run: a function of Vars (taped), a function writing
// its gradient, objects with value_and_gradient or value + gradient members, const ones.
// Also the progress printer's output.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/optim.hpp>

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

BOOST_AUTO_TEST_CASE(the_progress_printer_writes_a_header_and_rows) {
  std::FILE* out = std::tmpfile();
  BOOST_REQUIRE(out != nullptr);
  const slope::Result r = slope::minimize(taped, {3.0, -2.0, 0.5}, slope::Lbfgs{}, {.callback = slope::progress_printer(out, 1)});
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
