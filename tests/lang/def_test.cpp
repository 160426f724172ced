// Functions of a model: `def NAME(args) = EXPR`. A call is its body with the arguments in
// place of the parameters, so it computes what the written-out expression computes, is
// checked for shapes at each call, and every mistake (arity, recursion, a shape inside the
// body) is an error at its place.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "lang/support.hpp"

using slope::lang::Matrix;
using slope::lang::Model;
using slope::lang::test::check_error;
using slope::lang::test::syntax_error;

namespace {

/// Value and gradient of `source` at `theta`, with `X` (3 x 2) and `y` (3) bound when declared.
double value_and_gradient(const std::string& source, const std::vector<double>& theta, std::vector<double>& grad) {
  Model model = Model::parse(source, "m.slope");
  if (source.find("data X") != std::string::npos) {
    model.bind_data("X", Matrix::from_row_major(std::vector<double>{1, 2, -1, 0.5, 3, -2}, 3, 2));
  }
  if (source.find("data y") != std::string::npos) {
    model.bind_data("y", Matrix::from_vector(std::vector<double>{1, 0, 1}));
  }
  grad.assign(theta.size(), 0.0);
  return model.value_and_gradient(theta, grad);
}

/// Same value and gradient, to the last bit, for a model with defs and its written-out twin.
void same_as_written_out(const std::string& with_defs, const std::string& written_out, const std::vector<double>& theta) {
  std::vector<double> g1, g2;
  const double v1 = value_and_gradient(with_defs, theta, g1);
  const double v2 = value_and_gradient(written_out, theta, g2);
  BOOST_TEST(v1 == v2);
  BOOST_TEST(g1 == g2, boost::test_tools::per_element());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(defs)

BOOST_AUTO_TEST_CASE(a_call_computes_its_body_with_the_arguments_in_place) {
  same_as_written_out("param a = 0\ndef sq(x) = x * x\nminimize sq(a - 1) + sq(2 * a)",
                      "param a = 0\nminimize (a - 1) * (a - 1) + (2 * a) * (2 * a)", {0.7});
  // Two parameters, a def calling an earlier def, names of the model inside a body.
  same_as_written_out(
      "const c = 3\nparam a = 0\nparam b = 0\ndef sq(x) = x * x\ndef dist(x, y) = sq(x - y) + c\n"
      "minimize dist(a, b) * dist(b, 2)",
      "const c = 3\nparam a = 0\nparam b = 0\nminimize ((a - b) * (a - b) + c) * ((b - 2) * (b - 2) + c)",
      {0.3, -1.2});
  // No parameters.
  same_as_written_out("param a = 0\ndef three() = 3\nminimize three() * a^2", "param a = 0\nminimize 3 * a^2", {1.5});
}

BOOST_AUTO_TEST_CASE(a_def_is_checked_for_shapes_at_each_call) {
  // One def applied to a scalar and to a vector.
  same_as_written_out(
      "data X[n, d]\ndata y[n]\nparam w[d] = 0\nparam s = 1\n"
      "def nll(z, t) = sum(t .* log_sigmoid(z) + (1 - t) .* log_sigmoid(-z))\n"
      "def sq(x) = x .* x\nminimize -nll(X * w, y) + sum(sq(w)) + sq(s)",
      "data X[n, d]\ndata y[n]\nparam w[d] = 0\nparam s = 1\n"
      "minimize -sum(y .* log_sigmoid(X * w) + (1 - y) .* log_sigmoid(-(X * w))) + sum(w .* w) + s .* s",
      {0.4, -0.3, 1.1});
  // A shape error inside the body is reported at its place in the body.
  BOOST_TEST(check_error("param w[3] = 0\nparam v[2] = 0\ndef f(a, b) = a + b\nminimize sum(f(w, v))") ==
             "model.slope:3:15: error: '+' cannot combine [3] and [2]: the shapes must be equal, or one a scalar, or a "
             "matrix [n, k] and a vector [k]");
}

BOOST_AUTO_TEST_CASE(a_parameter_hides_a_name_of_the_model_only_inside_its_body) {
  same_as_written_out("param x = 0\nparam y = 0\ndef f(x) = x + y\nminimize f(2 * y)^2 + x^2",
                      "param x = 0\nparam y = 0\nminimize (2 * y + y)^2 + x^2", {0.5, 0.25});
}

BOOST_AUTO_TEST_CASE(every_mistake_is_an_error_at_its_place) {
  BOOST_TEST(syntax_error("param a = 0\ndef f(x) = f(x) + 1\nminimize f(a)") ==
             "model.slope:2:12: error: def 'f' calls itself: a def cannot be recursive");
  BOOST_TEST(syntax_error("param a = 0\ndef f(x) = x\nminimize f(a, a)") ==
             "model.slope:3:10: error: def 'f' takes 1 argument, found 2");
  BOOST_TEST(syntax_error("param a = 0\ndef f(x, y) = x\nminimize f(a)") ==
             "model.slope:3:10: error: def 'f' takes 2 arguments, found 1");
  BOOST_TEST(syntax_error("def f(x) = x\ndef f(y) = y\nminimize 1") ==
             "model.slope:2:5: error: def 'f' is defined twice");
  BOOST_TEST(syntax_error("def f(x, x) = x\nminimize 1") == "model.slope:1:10: error: def 'f' names parameter 'x' twice");
  BOOST_TEST(!syntax_error("def f(x) x\nminimize 1").empty());
  // A def used before it is defined is an unknown function, as any other name.
  BOOST_TEST(!check_error("param a = 0\nminimize g(a)\ndef g(x) = x").empty());
}

BOOST_AUTO_TEST_SUITE_END()
