// `slope gradient` and `slope check` end to end: values and gradients as written (also for a
// maximize model), --at, and the finite-difference check passing on every example and
// failing where the tape and the differences disagree.

#include <boost/test/unit_test.hpp>

#include <slope/lang/data.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "cli_support.hpp"

namespace {
using namespace slope::test;
}  // namespace

BOOST_AUTO_TEST_SUITE(gradient_command)

BOOST_AUTO_TEST_CASE(logistic_gradient_at_the_initial_values) {
  const ProcessResult run = run_slope(logistic("gradient", {"--json"}));
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const nlohmann::json out = json_of(run);
  BOOST_TEST(out.size() == 2u);
  // At w = 0, b = 0 every probability is 1/2: the log-likelihood is n log(1/2) and its
  // gradient (of the maximized expression, not of its negation) is X^T (y - 1/2), sum(y - 1/2).
  const slope::lang::Matrix X = slope::lang::read_csv(model("logistic.csv"), "x1-x3");
  const slope::lang::Matrix y = slope::lang::read_csv(model("logistic.csv"), "label");
  BOOST_TEST(out["objective"].get<double>() == static_cast<double>(X.rows) * std::log(0.5),
             boost::test_tools::tolerance(1e-13));
  double gb = 0.0;
  std::vector<double> gw(3, 0.0);
  for (std::size_t i = 0; i < X.rows; ++i) {
    gb += y(i, 0) - 0.5;
    for (std::size_t j = 0; j < 3; ++j) gw[j] += X(i, j) * (y(i, 0) - 0.5);
  }
  BOOST_TEST(out["gradient"]["b"].get<double>() == gb, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(out["gradient"]["b"].get<double>() == -6.0);  // 94 ones among 200 labels
  for (std::size_t j = 0; j < 3; ++j) {
    BOOST_TEST(out["gradient"]["w"][j].get<double>() == gw[j], boost::test_tools::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(at_sets_the_point) {
  const ProcessResult run = run_slope({"gradient", model("rosenbrock.slope"), "--at", "x=1", "--at", "y=2", "--json"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const nlohmann::json out = json_of(run);
  BOOST_TEST(out["objective"].get<double>() == 100.0);
  BOOST_TEST(out["gradient"]["x"].get<double>() == -400.0);  // -400 x (y - x^2) - 2 (1 - x)
  BOOST_TEST(out["gradient"]["y"].get<double>() == 200.0);   // 200 (y - x^2)
}

BOOST_AUTO_TEST_CASE(at_sets_a_vector_param) {
  const ProcessResult run = run_slope(logistic("gradient", {"--json", "--at", "w=1,-1,0.5", "--at", "b=-0.25"}));
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const ProcessResult start = run_slope(logistic("gradient", {"--json"}));
  BOOST_TEST(json_of(run)["objective"].get<double>() > json_of(start)["objective"].get<double>());
}

BOOST_AUTO_TEST_CASE(at_fills_a_matrix_param_row_major) {
  // The gradient of sum(W .^ 2) / 2 is W itself: it shows where each --at value went.
  const TempDir dir;
  const std::string path = dir.write("matrix.slope", "param W[2, 3] = 0\nparam b = 0\nminimize sum(W .^ 2) / 2 + b\n");
  const ProcessResult run = run_slope({"gradient", path, "--json", "--at", "W=1,2,3,4,5,6"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(json_of(run)["gradient"]["W"] == nlohmann::json::parse("[[1, 2, 3], [4, 5, 6]]"));
  BOOST_TEST(json_of(run)["objective"].get<double>() == 91.0 / 2);
  const ProcessResult text = run_slope({"gradient", path, "--at", "W=1,2,3,4,5,6"});
  BOOST_TEST(text.out == "objective: 45.5\n"
                         "at:\n  W = [[1, 2, 3],\n       [4, 5, 6]]\n  b = 0\n"
                         "gradient:\n  W = [[1, 2, 3],\n       [4, 5, 6]]\n  b = 1\n");
  // The wrong number of values names the shape.
  const ProcessResult wrong = run_slope({"gradient", path, "--at", "W=1,2,3"});
  BOOST_TEST(wrong.exit_code == 2);
  BOOST_TEST(wrong.err == "slope: error: --at W: param 'W' has shape [2, 3] (6 values), but 3 values were given\n");
}

BOOST_AUTO_TEST_CASE(at_values_go_in_the_order_written_and_the_last_one_wins) {
  const TempDir dir;
  const std::string path = dir.write("order.slope", "param a = 0\nparam v[3] = 0\nminimize dot(v, [1, 10, 100]) + 1000 * a\n");
  // The params keep their source order whatever the order of the flags; values go in order.
  const ProcessResult run = run_slope({"gradient", path, "--json", "--at", "v=1,2,3", "--at", "a=5"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(json_of(run)["objective"].get<double>() == 321.0 + 5000.0);
  BOOST_TEST(run_slope({"gradient", path, "--at", "a=5", "--at", "v=1,2,3"}).out ==
             run_slope({"gradient", path, "--at", "v=1,2,3", "--at", "a=5"}).out);
  // A param given twice takes its last values.
  const ProcessResult twice = run_slope({"gradient", path, "--json", "--at", "v=9,9,9", "--at", "v=3,2,1"});
  BOOST_TEST(json_of(twice)["objective"].get<double>() == 123.0);
}

BOOST_AUTO_TEST_CASE(text_output) {
  const ProcessResult run = run_slope({"gradient", model("rosenbrock.slope")});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(run.out == "objective: 24.2\nat:\n  x = -1.2\n  y = 1\ngradient:\n  x = -215.6\n  y = -88\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(check_command)

BOOST_AUTO_TEST_CASE(every_example_passes) {
  const std::vector<std::vector<std::string>> runs{
      logistic("check"),
      {"check", model("rosenbrock.slope")},
      {"check", model("least_squares.slope"), "--data", "x=" + model("least_squares.csv") + ":x", "--data",
       "y=" + model("least_squares.csv") + ":y"},
      {"check", model("normal_regression.slope"), "--data", "x=" + model("least_squares.csv") + ":x", "--data",
       "y=" + model("least_squares.csv") + ":y"},
      {"check", model("softmax_regression.slope"), "--data", "X=" + model("softmax.csv") + ":x1-x4", "--data",
       "y=" + model("softmax.csv") + ":label"},
      {"check", model("two_layer_network.slope"), "--data", "X=" + model("network.csv") + ":x1,x2", "--data",
       "y=" + model("network.csv") + ":y"},
  };
  for (const auto& args : runs) {
    const ProcessResult run = run_slope(args);
    BOOST_TEST_INFO(args[1] << ":\n" << run.out << run.err);
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(run.out.find("max relative error: ") != std::string::npos);
    BOOST_TEST(run.out.find("MISMATCH") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(json_lists_both_gradients) {
  const ProcessResult run = run_slope({"check", model("rosenbrock.slope"), "--json"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const nlohmann::json out = json_of(run);
  BOOST_TEST(out["ok"] == true);
  BOOST_TEST(out["max_relative_error"].get<double>() < 1e-8);
  BOOST_TEST(out["gradient"]["x"].get<double>() == -215.6, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(out["finite_difference"]["x"].get<double>() == -215.6, boost::test_tools::tolerance(1e-7));
}

BOOST_AUTO_TEST_CASE(a_branch_at_the_point_is_a_mismatch) {
  // The tape follows the branch taken at x = 0 (slope 1); the differences straddle the jump.
  const TempDir dir;
  const std::string path = dir.write("jump.slope", "param x = 0\nminimize if x >= 0 then x else x + 1\n");
  const ProcessResult run = run_slope({"check", path});
  BOOST_TEST(run.exit_code == 1, run.out << run.err);
  BOOST_TEST(run.out.find("x                 1") != std::string::npos, run.out);
  BOOST_TEST(run.out.find("MISMATCH") != std::string::npos);
  BOOST_TEST(run.out.find("  x: tape 1, finite difference ") != std::string::npos);
  // Away from the jump the same model passes.
  BOOST_TEST(run_slope({"check", path, "--at", "x=2"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(tol_sets_the_accepted_relative_error) {
  // A jump of 1e-7 at x = 0 makes the central differences (h = cbrt(eps)) miss the tape's
  // slope 1 by a relative 8.26e-3: more than the default 1e-6 and 1e-3, less than 1e-2.
  const TempDir dir;
  const std::string path = dir.write("step.slope", "param x = 0\nminimize if x >= 0 then x else x + 1e-7\n");
  const ProcessResult strict = run_slope({"check", path, "--json"});
  BOOST_TEST(strict.exit_code == 1, strict.err);
  BOOST_TEST(json_of(strict)["ok"] == false);
  BOOST_TEST(json_of(strict)["tolerance"].get<double>() == 1e-6);
  BOOST_TEST(json_of(strict)["max_relative_error"].get<double>() == 8.26e-3, boost::test_tools::tolerance(1e-3));
  BOOST_TEST(run_slope({"check", path, "--tol", "1e-3"}).exit_code == 1);
  const ProcessResult loose = run_slope({"check", path, "--tol", "1e-2"});
  BOOST_TEST(loose.exit_code == 0, loose.out << loose.err);
  BOOST_TEST(loose.out.find("max relative error: 8.257e-03 (tolerance 0.01): ok\n") != std::string::npos, loose.out);
  const ProcessResult json = run_slope({"check", path, "--tol", "0.01", "--json"});
  BOOST_TEST(json_of(json)["ok"] == true);
  BOOST_TEST(json_of(json)["tolerance"].get<double>() == 0.01);
}

BOOST_AUTO_TEST_SUITE_END()
