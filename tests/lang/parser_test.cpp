// The parser's trees as s-expressions: precedence, associativity, statements, brackets.

#include <boost/test/unit_test.hpp>

#include <string>

#include "lang/support.hpp"

using slope::lang::test::expr;
using slope::lang::test::sexpr;

BOOST_AUTO_TEST_SUITE(parser)

BOOST_AUTO_TEST_CASE(precedence_follows_mathematics) {
  BOOST_TEST(expr("a + b * c") == "(+ a (* b c))");
  BOOST_TEST(expr("a * b + c") == "(+ (* a b) c)");
  BOOST_TEST(expr("a - b - c") == "(- (- a b) c)");
  BOOST_TEST(expr("a / b / c") == "(/ (/ a b) c)");
  BOOST_TEST(expr("a .* b ./ c") == "(./ (.* a b) c)");
  BOOST_TEST(expr("(a + b) * c") == "(* (+ a b) c)");
  BOOST_TEST(expr("a + b < c * d") == "(< (+ a b) (* c d))");
}

BOOST_AUTO_TEST_CASE(power_is_right_associative_and_binds_tighter_than_minus) {
  BOOST_TEST(expr("a ^ b ^ c") == "(^ a (^ b c))");
  BOOST_TEST(expr("-x^2") == "(- (^ x 2))");
  BOOST_TEST(expr("-x .^ 2") == "(- (.^ x 2))");
  BOOST_TEST(expr("2^-x") == "(^ 2 (- x))");
  BOOST_TEST(expr("a * b ^ c") == "(* a (^ b c))");
  BOOST_TEST(expr("(-x)^2") == "(^ (- x) 2)");
  BOOST_TEST(expr("- - x") == "(- (- x))");
  BOOST_TEST(expr("+x") == "x");
}

BOOST_AUTO_TEST_CASE(numbers_names_and_postfix) {
  BOOST_TEST(expr("1e-5 + 2.5E3 + .5 + 3.") == "(+ (+ (+ 1e-05 2500) 0.5) 3)");
  BOOST_TEST(expr("1.*x") == "(.* 1 x)");
  BOOST_TEST(expr("X[i, j] + x[2*i-1]") == "(+ (index X i j) (index x (- (* 2 i) 1)))");
  BOOST_TEST(expr("X[i][j]") == "(index (index X i) j)");
  BOOST_TEST(expr("[-1.2, 1, 0.5]") == "[(- 1.2) 1 0.5]");
  BOOST_TEST(expr("log_sigmoid(dot(X[i], w) + b)") == "(log_sigmoid (+ (dot (index X i) w) b))");
  BOOST_TEST(expr("f()") == "(f)");
}

BOOST_AUTO_TEST_CASE(index_sums_and_conditionals) {
  BOOST_TEST(expr("sum(i in 1:n, x[i]^2)") == "(sum i 1 n (^ (index x i) 2))");
  BOOST_TEST(expr("prod(k in a+1:2*b, k)") == "(prod k (+ a 1) (* 2 b) k)");
  BOOST_TEST(expr("sum(x)") == "(sum x)");
  BOOST_TEST(expr("if x > 0 then x else -x") == "(if (> x 0) x (- x))");
  BOOST_TEST(expr("1 + if c then a else b + 1") == "(+ 1 (if c a (+ b 1)))");
}

BOOST_AUTO_TEST_CASE(statements_and_comments) {
  const std::string source =
      "# logistic regression\n"
      "data X[n, d]   # a matrix\n"
      "data y[n]\n"
      "\n"
      "const lambda = 0.01\n"
      "param w[d] = 0\n"
      "param b = 0\n"
      "param t[3] = [1, 2, 3]\n"
      "let z = X * w + b\n"
      "maximize sum(y .* log_sigmoid(z)) - lambda * dot(w, w)";
  BOOST_TEST(sexpr(source) ==
             "(data X [n d])\n"
             "(data y [n])\n"
             "(const lambda 0.01)\n"
             "(param w [d] 0)\n"
             "(param b 0)\n"
             "(param t [3] [1 2 3])\n"
             "(let z (+ (* X w) b))\n"
             "(maximize (- (sum (.* y (log_sigmoid z))) (* lambda (dot w w))))\n");
}

BOOST_AUTO_TEST_CASE(newlines_inside_brackets_do_not_end_statements) {
  BOOST_TEST(sexpr("minimize sum(i in 1:n,\n   x[i]\n   + 1)\n") == "(minimize (sum i 1 n (+ (index x i) 1)))\n");
  BOOST_TEST(sexpr("param w[\n3\n] = [1,\n 2,\n 3]\r\nminimize (w[1]\n+ w[2])") ==
             "(param w [3] [1 2 3])\n(minimize (+ (index w 1) (index w 2)))\n");
}

BOOST_AUTO_TEST_CASE(spans_cover_what_was_written) {
  const slope::lang::Program program = slope::lang::parse("let z = log(x + 1)\n", "m");
  const auto& statement = program.statements.at(0);
  const auto& call = program[statement.value];
  BOOST_TEST(call.span.begin.line == 1u);
  BOOST_TEST(call.span.begin.column == 9u);
  BOOST_TEST(call.span.end.column == 19u);
  BOOST_TEST(statement.name_span.begin.column == 5u);
}

BOOST_AUTO_TEST_SUITE_END()
