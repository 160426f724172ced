// Bad input end to end: every case exits 2, prints nothing on stdout, and says what and where
// on stderr (golden), with a caret under the place in the model when the error is in it.

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "cli_support.hpp"

namespace {

using namespace slope::test;

/// Runs slope and checks that it failed as bad input; returns stderr.
std::string bad_input(const std::vector<std::string>& args) {
  const ProcessResult run = run_slope(args);
  BOOST_TEST(run.exit_code == 2, run.out << run.err);
  BOOST_TEST(run.out.empty());
  BOOST_TEST(!run.timed_out);
  return run.err;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bad_input_exits_2)

BOOST_AUTO_TEST_CASE(syntax_error_shows_the_line_and_a_caret) {
  const TempDir dir;
  const std::string path = dir.write("syntax.slope", "param x = 1\nminimize log(x - 3\n");
  BOOST_TEST(bad_input({"optimize", path}) ==
             path + ":2:19: error: expected ')' to close '(' opened at 2:13, found end of line\n"
                    "  minimize log(x - 3\n"
                    "                    ^\n");
}

BOOST_AUTO_TEST_CASE(log_of_a_negative_at_the_initial_values) {
  const TempDir dir;
  const std::string path = dir.write("negative.slope", "param x = 1\nminimize log(x - 3)\n");
  const std::string err = bad_input({"optimize", path});
  BOOST_TEST(err.starts_with(path + ":2:10: error: log: argument is -2"), err);
  BOOST_TEST(err.ends_with("\n  minimize log(x - 3)\n           ^\n"), err);
  // gradient and check evaluate in checked mode too.
  BOOST_TEST(bad_input({"gradient", path}) == err);
  BOOST_TEST(bad_input({"check", path}) == err);
}

BOOST_AUTO_TEST_CASE(unknown_data_column) {
  BOOST_TEST(bad_input({"optimize", model("logistic.slope"), "--data", "X=" + model("logistic.csv") + ":x1-x4",
                        "--data", "y=" + model("logistic.csv") + ":label"}) ==
             model("logistic.csv") + ":1:1: error: no column named \"x4\" (the header has x1, x2, x3, label)\n");
}

BOOST_AUTO_TEST_CASE(bad_csv_cell) {
  const TempDir dir;
  const std::string csv = dir.write("bad.csv", "x,y\n0,1\n1,2\n2,oops\n");
  BOOST_TEST(bad_input({"optimize", model("least_squares.slope"), "--data", "x=" + csv + ":x", "--data",
                        "y=" + csv + ":y"}) == csv + ":4:2: error: cell \"oops\" is not a number\n");
}

BOOST_AUTO_TEST_CASE(missing_files) {
  const TempDir dir;
  const std::string missing = dir.path("missing.csv");
  // About the file as a whole: no line and column.
  BOOST_TEST(bad_input({"optimize", model("least_squares.slope"), "--data", "x=" + missing + ":x", "--data",
                        "y=" + missing + ":y"}) ==
             missing + ": error: cannot open the file: No such file or directory\n");
  BOOST_TEST(bad_input({"optimize", model("least_squares.slope"), "--data", dir.path("missing.json")}) ==
             dir.path("missing.json") + ": error: cannot open the file: No such file or directory\n");
  BOOST_TEST(bad_input({"optimize", model("least_squares.slope"), "--data", "x=" + dir.path("x.npy"), "--data",
                        "y=" + model("least_squares.csv") + ":y"}) ==
             dir.path("x.npy") + ": error: cannot open the file: No such file or directory\n");
  BOOST_TEST(bad_input({"optimize", dir.path("missing.slope")}) ==
             "slope: error: cannot read the model " + dir.path("missing.slope") + ": No such file or directory\n");
}

BOOST_AUTO_TEST_CASE(data_left_unbound_points_at_its_declaration) {
  BOOST_TEST(bad_input({"optimize", model("least_squares.slope"), "--data", "x=" + model("least_squares.csv") + ":x"}) ==
             model("least_squares.slope") + ":5:1: error: no data for \"y\": pass --data y=FILE.csv[:COLUMNS]\n"
                                            "  data y[n]\n"
                                            "  ^\n");
}

BOOST_AUTO_TEST_CASE(data_for_an_undeclared_name) {
  BOOST_TEST(bad_input({"gradient", model("rosenbrock.slope"), "--data", "q=" + model("least_squares.csv")}) ==
             "slope: error: --data q: " + model("rosenbrock.slope") +
                 " declares no data named \"q\" (it declares no data)\n");
}

BOOST_AUTO_TEST_CASE(malformed_flags) {
  BOOST_TEST(bad_input({"optimize", model("rosenbrock.slope"), "--set", "lambda"}) ==
             "slope: error: --set \"lambda\": expected NAME=VALUE, e.g. lambda=0.1\n");
  BOOST_TEST(bad_input({"optimize", model("rosenbrock.slope"), "--set", "lambda=abc"}) ==
             "slope: error: --set \"lambda=abc\": \"abc\" is not a number\n");
  BOOST_TEST(bad_input({"gradient", model("rosenbrock.slope"), "--at", "x=1,,2"}) ==
             "slope: error: --at \"x=1,,2\": \"\" is not a number\n");
  BOOST_TEST(bad_input({"optimize", model("rosenbrock.slope"), "--step-size", "0.1"}) ==
             "slope: error: --step-size applies to --method gd, momentum or adam; L-BFGS finds its steps by line "
             "search\n");
}

BOOST_AUTO_TEST_CASE(flags_the_model_rejects) {
  const std::string err = bad_input({"gradient", model("rosenbrock.slope"), "--at", "x=1,2"});
  BOOST_TEST(err.starts_with("slope: error: --at x: "), err);
  BOOST_TEST(bad_input({"optimize", model("rosenbrock.slope"), "--set", "q=1"}).starts_with("slope: error: --set q: "));
}

BOOST_AUTO_TEST_CASE(usage_errors) {
  const std::string help = "Run with --help for more information.\n";
  BOOST_TEST(bad_input({}) == "slope: error: no command given: expected optimize, gradient or check\n" + help);
  BOOST_TEST(bad_input({"--json"}) == "slope: error: no command given: expected optimize, gradient or check\n" + help);
  BOOST_TEST(bad_input({"optimize"}) == "slope: error: no model given: expected MODEL.slope after the command\n" + help);
  BOOST_TEST(bad_input({"check", "--json"}) ==
             "slope: error: no model given: expected MODEL.slope after the command\n" + help);
  BOOST_TEST(bad_input({"frobnicate"}) ==
             "slope: error: unknown command \"frobnicate\": expected optimize, gradient or check\n" + help);
  const std::string rosenbrock = model("rosenbrock.slope");
  BOOST_TEST(bad_input({"optimize", rosenbrock, "--frobnicate"}) == "slope: error: unexpected argument: --frobnicate\n" + help);
  BOOST_TEST(bad_input({"gradient", rosenbrock, "extra", "words"}) ==
             "slope: error: unexpected arguments: extra words\n" + help);
  BOOST_TEST(bad_input({"optimize", rosenbrock, "--tol"}) == "slope: error: --tol needs a value\n" + help);
  BOOST_TEST(bad_input({"gradient", rosenbrock, "--max-iter", "3"}) == "slope: error: unexpected arguments: --max-iter 3\n" + help);
}

BOOST_AUTO_TEST_CASE(flag_values_say_what_they_expect) {
  const std::string rosenbrock = model("rosenbrock.slope");
  BOOST_TEST(bad_input({"optimize", rosenbrock, "--method", "newton"}) ==
             "slope: error: --method \"newton\": expected lbfgs, gd, momentum or adam\n");
  for (const std::string count : {"many", "0", "-3", "1e3", "2.5", ""}) {
    BOOST_TEST(bad_input({"optimize", rosenbrock, "--max-iter", count}) ==
               "slope: error: --max-iter \"" + count + "\": expected a whole number >= 1\n");
  }
  BOOST_TEST(bad_input({"optimize", rosenbrock, "--max-iter", "99999999999999999999999"}) ==
             "slope: error: --max-iter \"99999999999999999999999\": expected a whole number >= 1\n");
  BOOST_TEST(bad_input({"optimize", rosenbrock, "--max-evals", "none"}) ==
             "slope: error: --max-evals \"none\": expected a whole number >= 1\n");
  {
    TempDir dir;
    const std::string bounded = dir.write("bounded.slope", "param p in [0, 1] = 0.5\nminimize (p - 2)^2\n");
    BOOST_TEST(bad_input({"optimize", bounded, "--at", "p=3"}) ==
               "slope: error: --at p: p = 3 is outside its bounds [0, 1]\n");
  }
  for (const std::string command : {"optimize", "gradient", "check"}) {
    BOOST_TEST(bad_input({command, rosenbrock, "--threads", "0"}) ==
               "slope: error: --threads \"0\": expected a whole number >= 1\n");
  }
  for (const std::string tol : {"abc", "-1", "nan", "inf"}) {
    BOOST_TEST(bad_input({"optimize", rosenbrock, "--tol", tol}) ==
               "slope: error: --tol \"" + tol + "\": expected a number >= 0\n");
    BOOST_TEST(bad_input({"check", rosenbrock, "--tol", tol}) ==
               "slope: error: --tol \"" + tol + "\": expected a number >= 0\n");
  }
  BOOST_TEST(bad_input({"optimize", rosenbrock, "--method", "gd", "--step-size", "0"}) ==
             "slope: error: --step-size \"0\": expected a number > 0\n");
  BOOST_TEST(bad_input({"optimize", rosenbrock, "--data", "X=a.npy:1-2"}) ==
             "slope: error: --data \"X=a.npy:1-2\": columns (\"1-2\") are for CSV files; a .npy file holds one array\n");
}

BOOST_AUTO_TEST_CASE(version_prints_the_project_version) {
  const ProcessResult run = run_slope({"--version"});
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out == std::string("slope ") + SLOPE_VERSION + "\n");
  BOOST_TEST(run.err.empty());
}

BOOST_AUTO_TEST_CASE(division_by_zero_at_the_start_exits_2) {
  // The README: 2 for a domain error at the starting point (the model is evaluated once in
  // checked mode first), whichever command.
  const TempDir dir;
  const std::string path = dir.write("zero.slope", "param x = 1\nminimize x / 0\n");
  const std::string golden = path + ":2:10: error: div: result is inf for arguments 1 and 0\n"
                                    "  minimize x / 0\n"
                                    "           ^\n";
  BOOST_TEST(bad_input({"optimize", path}) == golden);
  BOOST_TEST(bad_input({"gradient", path}) == golden);
  BOOST_TEST(bad_input({"check", path}) == golden);
  BOOST_TEST(bad_input({"optimize", path, "--json", "--method", "adam"}) == golden);
}

BOOST_AUTO_TEST_CASE(help_exits_0) {
  const ProcessResult run = run_slope({"--help"});
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out.find("optimize") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unwritable_trace_fails_before_the_run) {
  const TempDir dir;
  BOOST_TEST(bad_input({"optimize", model("rosenbrock.slope"), "--trace", dir.path("no/such/dir/trace.csv")})
                 .starts_with("slope: error: --trace: cannot write "));
}

BOOST_AUTO_TEST_CASE(empty_and_odd_models_do_not_crash) {
  const TempDir dir;
  const std::vector<std::string> texts{"",         "\n\n", "minimize", "param x = 1\n", "param x = 1\nminimize x\nminimize x\n",
                                      std::string(5000, '(')};
  for (const std::string& text : texts) {
    const ProcessResult run = run_slope({"optimize", dir.write("odd.slope", text)});
    BOOST_TEST_INFO("model: " << text.substr(0, 40));
    BOOST_TEST((run.exit_code == 1 || run.exit_code == 2), run.err);
    BOOST_TEST(!run.timed_out);
    BOOST_TEST(!run.err.empty());
  }
}

BOOST_AUTO_TEST_SUITE_END()
