// The documented results of sum and prod over an empty range (docs/grammar.md): 0 and 1, with
// no contribution to the gradient, whether the range is empty as written or by a dimension.

#include <boost/test/unit_test.hpp>

#include <slope/lang/model.hpp>

#include <string>
#include <vector>

namespace {

using slope::lang::Model;

struct Evaluated {
  double value = 0.0;
  std::vector<double> gradient;
};

Evaluated evaluate(const std::string& source, double x) {
  Model model = Model::parse(source, "model.slope");
  Evaluated out{0.0, std::vector<double>(1)};
  out.value = model.value_and_gradient(std::vector<double>{x}, out.gradient);
  // The checked evaluation and the plain one agree.
  std::vector<double> checked(1);
  BOOST_TEST(model.value_and_gradient(std::vector<double>{x}, checked, true) == out.value);
  BOOST_TEST(model.value(std::vector<double>{x}) == out.value);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(empty_ranges)

BOOST_AUTO_TEST_CASE(sum_of_nothing_is_0) {
  const Evaluated e = evaluate("param x = 0\nminimize x + sum(i in 1:0, x^2 + i)\n", 2.0);
  BOOST_TEST(e.value == 2.0);
  BOOST_TEST(e.gradient[0] == 1.0);
  BOOST_TEST(evaluate("param x = 0\nminimize sum(i in 5:2, x)\n", 3.0).value == 0.0);
}

BOOST_AUTO_TEST_CASE(prod_of_nothing_is_1) {
  const Evaluated e = evaluate("param x = 0\nminimize x * prod(i in 3:2, x + i)\n", 2.0);
  BOOST_TEST(e.value == 2.0);
  BOOST_TEST(e.gradient[0] == 1.0);
  BOOST_TEST(evaluate("param x = 0\nminimize prod(i in 1:0, x)\n", 3.0).value == 1.0);
}

BOOST_AUTO_TEST_CASE(a_range_empty_by_its_dimension) {
  const std::string source =
      "const n = 0\n"
      "param x = 0\n"
      "minimize x + sum(i in 1:n, x * i) + prod(j in 1:n, x)\n";
  const Evaluated e = evaluate(source, 4.0);
  BOOST_TEST(e.value == 5.0);
  BOOST_TEST(e.gradient[0] == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
