// A golden test for every error of the checker and of evaluation.

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <slope/autodiff.hpp>

#include "lang/support.hpp"

using slope::lang::CheckError;
using slope::lang::EvaluationError;
using slope::lang::Matrix;
using slope::lang::Model;
using slope::lang::test::check_error;
using slope::lang::test::error_of;
using slope::lang::test::rendered;

namespace {

Matrix matrix(std::size_t rows, std::size_t cols, std::string origin) {
  return Matrix{rows, cols, std::vector<double>(rows * cols, 1.0), std::move(origin)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(check_errors)

BOOST_AUTO_TEST_CASE(unknown_names_with_and_without_a_hint) {
  BOOST_TEST(check_error("const lambda = 0.1\nparam w = 0\nminimize lamda * w") ==
             "model.slope:3:10: error: unknown name 'lamda'; did you mean 'lambda'?");
  BOOST_TEST(rendered("const lambda = 0.1\nparam w = 0\nminimize lamda * w") ==
             "model.slope:3:10: error: unknown name 'lamda'; did you mean 'lambda'?\n"
             "  minimize lamda * w\n"
             "           ^");
  BOOST_TEST(check_error("param w = 0\nminimize zzz * w") == "model.slope:2:10: error: unknown name 'zzz'");
  BOOST_TEST(check_error("param w = 0\nminimize sum(i in 1:3, w * j)") ==
             "model.slope:2:28: error: unknown name 'j'");
  BOOST_TEST(check_error("param w = 0\nminimize lgo(w)") ==
             "model.slope:2:10: error: unknown function 'lgo'; did you mean 'log'?");
  BOOST_TEST(check_error("param w = 0\nminimize frobnicate(w)") ==
             "model.slope:2:10: error: unknown function 'frobnicate'");
  BOOST_TEST(check_error("param w[3] = 0\nminimize w(1)") ==
             "model.slope:2:10: error: 'w' is not a function; index it with w[i]");
  BOOST_TEST(check_error("param w = 1\nminimize log * w") ==
             "model.slope:2:10: error: 'log' is a function; call it as log(...)");
  BOOST_TEST(check_error("param w = 1\nminimize prod(w)") ==
             "model.slope:2:10: error: prod takes an index range: prod(i in 1:n, EXPR)");
  BOOST_TEST(check_error("param w = 1\nminimize mean(i in 1:3, w)") ==
             "model.slope:2:10: error: only sum and prod take an index range, found 'mean'");
  BOOST_TEST(check_error("param w = 1\nminimize log(w, w)") == "model.slope:2:10: error: 'log' takes 1 argument, found 2");
  BOOST_TEST(check_error("param w = 1\nminimize atan2(w)") ==
             "model.slope:2:10: error: 'atan2' takes 2 arguments, found 1");
  BOOST_TEST(check_error("param w = 1\nminimize log_sum_exp()") ==
             "model.slope:2:10: error: 'log_sum_exp' takes 1 or 2 arguments, found 0");
}

BOOST_AUTO_TEST_CASE(shape_mismatches_name_both_shapes) {
  BOOST_TEST(check_error("param a[3] = 0\nparam b[4] = 0\nminimize sum(a + b)") ==
             "model.slope:3:14: error: '+' cannot combine [3] and [4]: the shapes must be equal, or one a scalar, or a "
             "matrix [n, k] and a vector [k]");
  BOOST_TEST(check_error("param a[3] = 0\nminimize sum(a * a)") ==
             "model.slope:2:14: error: '*' cannot combine [3] and [3]; use '.*' for the elementwise product or "
             "dot(a, b)");
  BOOST_TEST(check_error("param A[2, 3] = 0\nparam x[2] = 0\nminimize sum(A * x)") ==
             "model.slope:3:14: error: '*' cannot combine [2, 3] and [2]: a matrix with 3 columns multiplies a vector "
             "of length 3 or a matrix with 3 rows");
  BOOST_TEST(check_error("param a[2] = 0\nminimize sum(a ^ 2)") ==
             "model.slope:2:14: error: '^' cannot combine [2] and scalar; use '.^' for elementwise powers");
  BOOST_TEST(check_error("param a[2] = 0\nminimize sum(a / a)") ==
             "model.slope:2:14: error: '/' cannot combine [2] and [2]; use './' to divide elementwise");
  BOOST_TEST(check_error("param a[2] = 0\nminimize if a > 0 then 1 else 0") ==
             "model.slope:2:13: error: '>' cannot combine [2] and scalar: comparisons need scalars");
  BOOST_TEST(check_error("param a[3] = 0\nparam b[2] = 0\nminimize dot(a, b)") ==
             "model.slope:3:10: error: 'dot' needs two vectors of the same length, found [3] and [2]");
  BOOST_TEST(check_error("param a[3] = 0\nparam b[2] = 0\nminimize sum(pow(a, b))") ==
             "model.slope:3:14: error: 'pow' cannot combine [3] and [2]: the shapes must be equal, or one a scalar, or a "
             "matrix [n, k] and a vector [k]");
  BOOST_TEST(check_error("param a[3] = 0\nminimize sum(if 1 > 0 then a else 0)") ==
             "model.slope:2:14: error: the branches of 'if' must have the same shape, found [3] and scalar");
  BOOST_TEST(check_error("param a[3] = 0\nminimize a") == "model.slope:2:10: error: the objective must be a scalar, found [3]");
  BOOST_TEST(check_error("param a[3] = 0\nminimize sum(i in 1:3, a)") ==
             "model.slope:2:24: error: the body of sum must be a scalar, found [3]");
  BOOST_TEST(check_error("param a[3] = 0\nminimize sum([a, 1])") ==
             "model.slope:2:15: error: the elements of a vector literal must be scalars, found [3]");
  BOOST_TEST(check_error("param a = 0\nminimize a[1]") == "model.slope:2:10: error: cannot index 'a': it is a scalar");
  BOOST_TEST(check_error("param a[2] = 0\nminimize a[1, 1]") ==
             "model.slope:2:10: error: 'a' is a vector [2]: index it with one index");
  BOOST_TEST(check_error("param w[3] = [1, 2]\nminimize sum(w)") ==
             "model.slope:1:14: error: the initial value of param 'w' has shape [2], expected [3] or a scalar");
  BOOST_TEST(check_error("param x = [1, 2]\nminimize sum(x)") ==
             "model.slope:1:11: error: the initial value of param 'x' has shape [2], expected a scalar (declare it "
             "as param x[2] for a vector)");
}

BOOST_AUTO_TEST_CASE(indices_must_be_integer_and_in_range) {
  BOOST_TEST(check_error("param x[3] = 0\nminimize x[1.5]") ==
             "model.slope:2:12: error: an index must be an integer expression (integer literals, integer consts, "
             "dimensions, loop indices and elements of data, with + - *)");
  BOOST_TEST(check_error("param x[3] = 0\nminimize sum(i in 1:x[1], x[i])") ==
             "model.slope:2:21: error: a range bound must be an integer expression (integer literals, integer "
             "consts, dimensions, loop indices and elements of data, with + - *)");
  BOOST_TEST(check_error("param x[3] = 0\nminimize x[4]") ==
             "model.slope:2:12: error: index 4 is out of range for 'x' [3] (indices run from 1 to 3)");
  BOOST_TEST(check_error("const k = 2\nparam x[3] = 0\nminimize x[k - 2]") ==
             "model.slope:3:12: error: index 0 is out of range for 'x' [3] (indices run from 1 to 3)");
  BOOST_TEST(check_error("param x[3] = 0\nminimize x[4503599627370496 * 4096]") ==
             "model.slope:2:12: error: integer overflow in index arithmetic");
  // With a loop index the range is known only when evaluating.
  const Model model = Model::parse("param x[3] = 0\nminimize sum(i in 1:4, x[i])", "model.slope");
  BOOST_TEST(error_of<EvaluationError>([&] { (void)model.value(std::vector<double>(3, 0.0)); }) ==
             "model.slope:2:26: error: index 4 is out of range for 'x' [3] (indices run from 1 to 3)");
}

BOOST_AUTO_TEST_CASE(objectives_and_declarations) {
  BOOST_TEST(check_error("param a = 0\n") ==
             "model.slope:1:12: error: the model has no objective: add a 'minimize EXPR' or 'maximize EXPR' "
             "statement");
  BOOST_TEST(check_error("param a = 0\nminimize a\nmaximize a") ==
             "model.slope:3:1: error: a second objective: the model already has one at 2:1");
  BOOST_TEST(check_error("param a = 0\nlet a = 1\nminimize a") ==
             "model.slope:2:5: error: 'a' is already declared as param at 1:7");
  BOOST_TEST(check_error("let sum = 1\nminimize sum") ==
             "model.slope:1:5: error: 'sum' is the name of a built-in function; choose another name");
  BOOST_TEST(check_error("param w = 1\nconst c = 2 * w\nminimize c * w") ==
             "model.slope:2:15: error: const 'c' cannot depend on param 'w': it is fixed before optimization");
  BOOST_TEST(check_error("param w = 1\nlet z = w\nparam v = z\nminimize v") ==
             "model.slope:3:11: error: the initial value of param 'v' cannot depend on let 'z': it is fixed before "
             "optimization");
  BOOST_TEST(check_error("param n = 1\nminimize sum(n in 1:3, n)") ==
             "model.slope:2:14: error: loop index 'n' hides the param declared at 1:7");
  BOOST_TEST(check_error("minimize sum(i in 1:3, sum(i in 1:2, i))") ==
             "model.slope:1:28: error: loop index 'i' hides the loop index declared at 1:14");
  BOOST_TEST(check_error("const m = 2.5\nparam w[m] = 0\nminimize sum(w)") ==
             "model.slope:2:9: error: dimension 'm' of param 'w' must be a non-negative integer");
  BOOST_TEST(check_error("param v = 0\nparam w[v] = 0\nminimize sum(w)") ==
             "model.slope:2:9: error: 'v' is a param, not a dimension");
  BOOST_TEST(check_error("param w[5000000000] = 0\nminimize sum(w)") ==
             "model.slope:1:9: error: dimension 5000000000 of param 'w' is too large");
  BOOST_TEST(check_error("param w[50000, 50000] = 0\nminimize sum(w)") ==
             "model.slope:1:7: error: param 'w' has 2500000000 values, more than the 67108864 parameter values a "
             "model may have in all");
  BOOST_TEST(check_error("const n = 100000000\nconst s = sum(i in 1:n, i)\nminimize s") ==
             "model.slope:2:25: error: evaluating this takes more than 10000000 operations; consts and initial "
             "values must be cheap to compute");
  // The budget counts elements, so vector work inside a loop counts too.
  BOOST_TEST(check_error("const t = [1, 2, 3, 4]\nconst n = 1000000\nconst s = sum(i in 1:n, sum(t .* t))\nminimize s")
                 .find("error: evaluating this takes more than 10000000 operations") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(data_must_be_bound_and_agree_with_its_declaration) {
  const std::string source = "data X[n, d]\ndata y[n]\nparam w[d] = 0\nminimize sum(y .* (X * w))";
  BOOST_TEST(check_error(source) == "model.slope:1:6: error: data 'X' has no values: bind it (--data X=FILE)");
  BOOST_TEST(check_error("data X[n, d]\nparam w[dd] = 0\nminimize sum(w)") ==
             "model.slope:1:6: error: data 'X' has no values: bind it (--data X=FILE)");

  Model model = Model::parse(source, "model.slope");
  model.bind_data("X", matrix(4, 2, "data.csv"));
  BOOST_TEST(error_of<CheckError>([&] { model.bind_data("y", matrix(3, 1, "y.csv")); }) ==
             "model.slope:2:8: error: data 'y' is declared [n] with n = 4 (the rows of 'X', from data.csv), but its "
             "data has shape [3] (from y.csv)");
  BOOST_TEST(error_of<CheckError>([&] { model.bind_data("y", matrix(4, 2, "y.csv")); }) ==
             "model.slope:2:6: error: data 'y' is declared [n] but its data has shape [4, 2] (from y.csv)");
  BOOST_TEST(error_of<CheckError>([&] { model.bind_data("z", matrix(4, 1, "")); }) ==
             "model.slope: error: the model declares no data named 'z'");
  // A rejected binding changes nothing: y is still unbound.
  BOOST_TEST(error_of<CheckError>([&] { model.check(); }) ==
             "model.slope:2:6: error: data 'y' has no values: bind it (--data y=FILE)");
  model.bind_data("y", matrix(4, 1, ""));
  BOOST_CHECK_NO_THROW(model.check());
  // Rebinding X with another row count now disagrees with y (bound in memory).
  BOOST_TEST(error_of<CheckError>([&] { model.bind_data("X", matrix(5, 2, "big.csv")); }) ==
             "model.slope:2:8: error: data 'y' is declared [n] with n = 5 (the rows of 'X', from big.csv), but its "
             "data has shape [4] (bound in memory)");

  Model literal = Model::parse("data X[n, 3]\nminimize sum(X)", "model.slope");
  BOOST_TEST(error_of<CheckError>([&] { literal.bind_data("X", matrix(2, 4, "data.csv")); }) ==
             "model.slope:1:11: error: data 'X' is declared [n, 3] but its data has shape [2, 4] (from data.csv)");

  Model with_const = Model::parse("const d = 3\ndata X[n, d]\nminimize sum(X)", "model.slope");
  with_const.bind_data("X", matrix(2, 4, "data.csv"));  // d is a const: checked by check()
  BOOST_TEST(error_of<CheckError>([&] { with_const.check(); }) ==
             "model.slope:2:11: error: data 'X' is declared [n, d] with d = 3 (const at 1:7), but its data has shape "
             "[2, 4] (from data.csv)");
  with_const.set_constant("d", 4);
  BOOST_CHECK_NO_THROW(with_const.check());

  Model unknown_dim = Model::parse("data X[n, d]\nparam w[dd] = 0\nminimize sum(w)", "model.slope");
  unknown_dim.bind_data("X", matrix(2, 2, ""));
  BOOST_TEST(error_of<CheckError>([&] { unknown_dim.check(); }) ==
             "model.slope:2:9: error: unknown dimension 'dd'; did you mean 'd'?");
}

BOOST_AUTO_TEST_CASE(set_constant_errors) {
  Model model = Model::parse("const t = [1, 2]\nconst c = 2 * 3\nparam w = 0\nminimize w * c", "model.slope");
  BOOST_TEST(error_of<CheckError>([&] { model.set_constant("lam", 1.0); }) ==
             "model.slope: error: the model declares no const named 'lam'");
  BOOST_TEST(error_of<CheckError>([&] { model.set_constant("w", 1.0); }) ==
             "model.slope: error: the model declares no const named 'w'");
  BOOST_TEST(error_of<CheckError>([&] { model.set_constant("t", 1.0); }) ==
             "model.slope:1:7: error: const 't' is a vector; only a scalar const can be set");
  Model vector_const = Model::parse("const t = [1, 2] .* 2\nparam w = 0\nminimize w", "model.slope");
  vector_const.set_constant("t", 1.0);
  BOOST_TEST(error_of<CheckError>([&] { vector_const.check(); }) ==
             "model.slope:1:7: error: const 't' has shape [2]; only a scalar const can be set");
}

BOOST_AUTO_TEST_CASE(names_given_from_outside_get_a_did_you_mean_and_no_line) {
  // Errors about a call rather than a place in the text carry no line and column (render()
  // shows no caret line for them), and a close declared name of the right kind is suggested.
  Model model = Model::parse("data X[n, 2]\nconst lambda = 1\nparam w[2] = 0\nminimize lambda * sum(X * w)",
                             "model.slope");
  BOOST_TEST(error_of<CheckError>([&] { model.set_constant("lamda", 1.0); }) ==
             "model.slope: error: the model declares no const named 'lamda'; did you mean 'lambda'?");
  BOOST_TEST(error_of<CheckError>([&] { model.bind_data("x", matrix(3, 2, "")); }) ==
             "model.slope: error: the model declares no data named 'x'; did you mean 'X'?");
  model.bind_data("X", matrix(3, 2, ""));
  const std::vector<double> theta{1.0, 2.0};
  BOOST_TEST(error_of<CheckError>([&] { (void)model.parameter_values(theta, "ww"); }) ==
             "model.slope: error: the model declares no param named 'ww'; did you mean 'w'?");
  BOOST_TEST(error_of<CheckError>([&] { (void)model.value(std::vector<double>{1.0, 2.0, 3.0}); }) ==
             "model.slope: error: the model has 2 parameter values, but 3 were given");
  std::vector<double> short_gradient(1);
  BOOST_TEST(error_of<CheckError>([&] { (void)model.value_and_gradient(theta, short_gradient); }) ==
             "model.slope: error: the gradient has 1 entries for 2 parameter values");
  try {
    model.set_constant("lamda", 1.0);
  } catch (const CheckError& error) {
    BOOST_TEST(slope::lang::render(error, model.source()) == std::string(error.what()));
  }
}

BOOST_AUTO_TEST_CASE(checked_evaluation_names_the_operation_and_its_span) {
  const Model model = Model::parse("param x = 1\nminimize 2 * log(x - 3)", "model.slope");
  std::vector<double> gradient(1);
  BOOST_CHECK_NO_THROW(model.value_and_gradient(std::vector<double>{1.0}, gradient));  // unchecked: NaN
  try {
    (void)model.value_and_gradient(std::vector<double>{1.0}, gradient, true);
    BOOST_FAIL("no error");
  } catch (const EvaluationError& error) {
    BOOST_TEST(error.what() == std::string("model.slope:2:14: error: log: argument is -2, must be >= 0"));
    BOOST_TEST(error.operation() == "log");
    BOOST_TEST(error.span().begin.column == 14u);
    BOOST_TEST(error.span().end.column == 24u);
    BOOST_TEST(render(error, model.source()) ==
               "model.slope:2:14: error: log: argument is -2, must be >= 0\n"
               "  minimize 2 * log(x - 3)\n"
               "               ^");
  }
  // The model stays usable after the error.
  BOOST_TEST(model.value_and_gradient(std::vector<double>{4.0}, gradient, true) == 0.0);
  BOOST_TEST(gradient[0] == 2.0);

  // Through value(Var) on a checked tape of the caller's.
  slope::Tape tape;
  auto recording = tape.record({.checked = true});
  const std::vector<slope::Var> x = tape.inputs(std::vector<double>{-1.0});
  BOOST_TEST(error_of<EvaluationError>([&] { (void)model.value(x); }) ==
             "model.slope:2:14: error: log: argument is -4, must be >= 0");
}

BOOST_AUTO_TEST_SUITE_END()
