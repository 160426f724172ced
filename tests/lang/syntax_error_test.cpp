// A golden test for every syntax error: the exact what() and, for some, render().

#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <string>

#include "lang/support.hpp"

using slope::lang::test::rendered;
using slope::lang::test::syntax_error;

BOOST_AUTO_TEST_SUITE(syntax_errors)

BOOST_AUTO_TEST_CASE(unclosed_bracket_reports_the_end_of_the_line_and_where_it_opened) {
  const std::string source = "let z = log_sigmoid(X * w + b\nmaximize sum(z)\n";
  BOOST_TEST(syntax_error(source) ==
             "model.slope:1:30: error: expected ')' to close '(' opened at 1:20, found end of line");
  BOOST_TEST(rendered(source) ==
             "model.slope:1:30: error: expected ')' to close '(' opened at 1:20, found end of line\n"
             "  let z = log_sigmoid(X * w + b\n"
             "                               ^");
  BOOST_TEST(syntax_error("minimize (x + 1") ==
             "model.slope:1:16: error: expected ')' to close '(' opened at 1:10, found end of file");
  BOOST_TEST(syntax_error("minimize (x + 1\n") ==
             "model.slope:1:16: error: expected ')' to close '(' opened at 1:10, found end of line");
  BOOST_TEST(syntax_error("minimize [1, 2\n") ==
             "model.slope:1:15: error: expected ']' to close '[' opened at 1:10, found end of line");
}

BOOST_AUTO_TEST_CASE(statements) {
  BOOST_TEST(syntax_error("x = 3") ==
             "model.slope:1:1: error: expected a statement ('data', 'const', 'param', 'let', 'def', 'minimize' or "
             "'maximize'), found 'x'");
  BOOST_TEST(syntax_error("let a = 1\n+ 2\n") ==
             "model.slope:2:1: error: expected a statement ('data', 'const', 'param', 'let', 'def', 'minimize' or "
             "'maximize'), found '+'");
  BOOST_TEST(syntax_error("param b = 0 0") ==
             "model.slope:1:13: error: expected end of line after the statement, found '0'");
  BOOST_TEST(syntax_error("data 3") == "model.slope:1:6: error: expected a name after 'data', found '3'");
  BOOST_TEST(syntax_error("let\n") == "model.slope:1:4: error: expected a name after 'let', found end of line");
  BOOST_TEST(syntax_error("const lambda 0.01") ==
             "model.slope:1:14: error: expected '=' after 'const lambda', found '0.01'");
  BOOST_TEST(syntax_error("param w[3]") ==
             "model.slope:1:11: error: expected '=' and an initial value for param 'w', found end of file");
  BOOST_TEST(syntax_error("let z = \n") == "model.slope:1:9: error: expected an expression, found end of line");
  BOOST_TEST(syntax_error("let z x") == "model.slope:1:7: error: expected '=' after 'let z', found 'x'");
}

BOOST_AUTO_TEST_CASE(dimensions_and_indices) {
  BOOST_TEST(syntax_error("data X[n, d, k]") ==
             "model.slope:1:12: error: expected ']' to close '[' opened at 1:7 (at most two dimensions), found ','");
  BOOST_TEST(syntax_error("param w[2.5] = 0") ==
             "model.slope:1:9: error: expected a dimension (an integer or a name), found '2.5'");
  BOOST_TEST(syntax_error("param w[99999999999999999999] = 0") ==
             "model.slope:1:9: error: expected a dimension that fits in 64 bits, found '99999999999999999999'");
  BOOST_TEST(syntax_error("minimize x[1, 2, 3]") ==
             "model.slope:1:16: error: expected ']' to close '[' opened at 1:11 (at most two indices), found ','");
  BOOST_TEST(syntax_error("minimize []") == "model.slope:1:11: error: expected an expression, found ']'");
}

BOOST_AUTO_TEST_CASE(operators_reductions_and_conditionals) {
  BOOST_TEST(syntax_error("minimize a < b < c") ==
             "model.slope:1:16: error: expected the end of the comparison (comparisons do not chain; add "
             "parentheses), found '<'");
  BOOST_TEST(syntax_error("minimize a * * b") == "model.slope:1:14: error: expected an expression, found '*'");
  BOOST_TEST(syntax_error("minimize sum(i in 1, x)") ==
             "model.slope:1:20: error: expected ':' in the range of 'i', found ','");
  BOOST_TEST(syntax_error("minimize sum(i in 1:n x)") ==
             "model.slope:1:23: error: expected ',' and the expression to sum over, found 'x'");
  BOOST_TEST(syntax_error("minimize sum(i in 1:n, x") ==
             "model.slope:1:25: error: expected ')' to close '(' opened at 1:13, found end of file");
  BOOST_TEST(syntax_error("minimize if x 1 else 2") ==
             "model.slope:1:15: error: expected 'then' after the condition of 'if' at 1:10, found '1'");
  BOOST_TEST(syntax_error("minimize if x then 1") ==
             "model.slope:1:21: error: expected 'else' for 'if' at 1:10, found end of file");
  BOOST_TEST(syntax_error("minimize f(1,)") == "model.slope:1:14: error: expected an expression, found ')'");
}

BOOST_AUTO_TEST_CASE(characters_and_numbers) {
  BOOST_TEST(syntax_error("minimize x $ y") == "model.slope:1:12: error: unexpected character '$'");
  BOOST_TEST(syntax_error("minimize \xc3\xa9") == "model.slope:1:10: error: unexpected byte 0xc3");
  BOOST_TEST(syntax_error("minimize x ! y") == "model.slope:1:12: error: unexpected character '!'");
  BOOST_TEST(syntax_error("minimize 1e+") ==
             "model.slope:1:13: error: expected a digit in the exponent of '1e+', found end of file");
  BOOST_TEST(syntax_error("minimize 2ex") ==
             "model.slope:1:12: error: expected a digit in the exponent of '2e', found 'x'");
  BOOST_TEST(syntax_error("minimize 2x") ==
             "model.slope:1:11: error: expected an operator or space after the number '2', found 'x'");
  BOOST_TEST(rendered("minimize\t2x") ==
             "model.slope:1:11: error: expected an operator or space after the number '2', found 'x'\n"
             "  minimize\t2x\n"
             "          \t ^");
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_a_syntax_error_not_a_crash) {
  const std::string deep = "minimize " + std::string(100000, '(') + "x" + std::string(100000, ')');
  BOOST_TEST(syntax_error(deep) == "model.slope:1:266: error: expression nested too deeply (more than 256 levels)");
  const std::string signs = "minimize " + std::string(100000, '-') + "x";
  BOOST_TEST(syntax_error(signs).find("nested too deeply") != std::string::npos);
  std::string powers = "minimize x";
  for (int i = 0; i < 100000; ++i) powers += "^x";
  BOOST_TEST(syntax_error(powers).find("nested too deeply") != std::string::npos);
  std::string brackets = "minimize " + std::string(100000, '[') + "1" + std::string(100000, ']');
  BOOST_TEST(syntax_error(brackets).find("nested too deeply") != std::string::npos);
  std::string calls = "minimize ";
  for (int i = 0; i < 100000; ++i) calls += "log(";
  BOOST_TEST(syntax_error(calls).find("nested too deeply") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(flat_chains_of_any_length_work_and_only_real_nesting_is_limited) {
  // 100,000 terms of mixed precedence: one flat chain, walked in a loop by the checker and
  // the evaluator, recorded and differentiated.
  std::string chain = "param x = 2\nminimize x";
  double value = 2.0, slope = 1.0;
  for (int i = 0; i < 100000; ++i) {
    if (i % 3 == 0) {
      chain += " - x";
      value -= 2.0;
      slope -= 1.0;
    } else {
      chain += " + x * 3";
      value += 6.0;
      slope += 3.0;
    }
  }
  const slope::lang::Model model = slope::lang::Model::parse(chain);
  BOOST_TEST(model.value(std::vector<double>{2.0}) == value);
  std::vector<double> gradient(1);
  BOOST_TEST(model.value_and_gradient(std::vector<double>{2.0}, gradient) == value);
  BOOST_TEST(gradient[0] == slope);
  // A 10 MB line with a stray ')' at its end: the error is at that ')'.
  std::string big = "param x = 1\nminimize x";
  while (big.size() < 10'000'000) big += " + x";
  const std::size_t column = big.size() - big.find('\n');  // 1-based column of the ')' appended next
  big += ")";
  const std::string error = syntax_error(big);
  BOOST_TEST(error.starts_with(fmt::format("model.slope:2:{}: error:", column)), error.substr(0, 120));
  // Real nesting is still limited: indexing (and brackets, signs, powers, calls above).
  std::string indices = "minimize x";
  for (int i = 0; i < 5000; ++i) indices += "[1]";
  BOOST_TEST(syntax_error(indices).find("expression too deep") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(syntax_error_carries_expected_and_found) {
  try {
    (void)slope::lang::Model::parse("minimize (x", "m.slope");
    BOOST_FAIL("no error");
  } catch (const slope::lang::SyntaxError& error) {
    BOOST_TEST(error.expected() == "')' to close '(' opened at 1:10");
    BOOST_TEST(error.found() == "end of file");
    BOOST_TEST(error.file() == "m.slope");
    BOOST_TEST(error.location().line == 1u);
    BOOST_TEST(error.location().column == 12u);
    BOOST_TEST(error.message() == "expected ')' to close '(' opened at 1:10, found end of file");
  }
}

BOOST_AUTO_TEST_SUITE_END()
