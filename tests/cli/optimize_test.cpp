// `slope optimize` end to end: exit status, the JSON and text results, the trace, progress
// only on a terminal, and the logistic example against the same fit done in C++.

#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/lang/data.hpp>
#include <slope/optim.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.hpp"

namespace {

using namespace slope::test;

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(optimize_command)

BOOST_AUTO_TEST_CASE(threads_split_the_rows_and_give_the_same_bits) {
  // 12,000 rows x 6: long enough that the replay splits its runs and matrix products (and sums
  // over the rows go by blocks), so 1, 2 and 3 threads run different code paths.
  TempDir dir;
  std::ostringstream csv;
  csv << "x1,x2,x3,x4,x5,x6,label\n";
  for (int i = 0; i < 12000; ++i) {
    double z = 0.3;
    for (int j = 0; j < 6; ++j) {
      const double x = std::sin(0.37 * i + 1.1 * j);
      z += (j % 2 == 0 ? 0.5 : -0.4) * x;
      csv << x << ',';
    }
    csv << (std::cos(7.0 * i) < std::tanh(z) ? 1 : 0) << '\n';
  }
  const std::string data = dir.write("rows.csv", csv.str());
  const std::string model = dir.write("logistic.slope",
                                      "data X[n, d]\ndata y[n]\nparam w[d] = 0\nparam b = 0\nlet z = X * w + b\n"
                                      "maximize dot(y, z) - sum(softplus(z)) - 0.5 * dot(w, w)\n");
  std::string first;
  for (const std::string threads : {"1", "2", "3"}) {
    const ProcessResult run = run_slope({"optimize", model, "--data", "X=" + data + ":1-6", "--data",
                                         "y=" + data + ":label", "--tol", "1e-10", "--threads", threads, "--json"});
    BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
    BOOST_TEST(json_of(run)["status"] == "converged");
    if (first.empty()) first = run.out;
    BOOST_TEST(run.out == first, "--threads " << threads);  // every digit of every number
  }
}

BOOST_AUTO_TEST_CASE(logistic_json_has_every_field_in_the_models_sense) {
  const ProcessResult run = run_slope(logistic("optimize", {"--json"}));
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(run.err.empty());  // stderr is a pipe here: no progress
  const nlohmann::json out = json_of(run);
  BOOST_TEST(out["status"] == "converged");
  BOOST_TEST(out["sense"] == "maximize");
  BOOST_TEST(out["objective"].is_number());
  BOOST_TEST(out["objective"].get<double>() < 0.0);  // a log-likelihood, not its negation
  BOOST_TEST(out["iterations"].is_number_unsigned());
  BOOST_TEST(out["evaluations"].get<int>() >= out["iterations"].get<int>());
  BOOST_TEST(out["gradient_norm"].get<double>() <= 1e-6);
  BOOST_TEST(out["params"]["w"].is_array());
  BOOST_TEST(out["params"]["w"].size() == 3u);
  BOOST_TEST(out["params"]["b"].is_number());
  BOOST_TEST(out.size() == 7u);
}

BOOST_AUTO_TEST_CASE(logistic_fit_equals_maximize_in_cpp) {
  const ProcessResult run = run_slope(logistic("optimize", {"--json", "--tol", "1e-9"}));
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const nlohmann::json out = json_of(run);

  const slope::lang::Matrix X = slope::lang::read_csv(model("logistic.csv"), "x1-x3");
  const slope::lang::Matrix y = slope::lang::read_csv(model("logistic.csv"), "label");
  const double lambda = 0.01;
  const auto log_likelihood = [&](std::span<const slope::Var> theta) {
    slope::Var total = 0.0;
    for (std::size_t i = 0; i < X.rows; ++i) {
      slope::Var z = theta[3];
      for (std::size_t j = 0; j < 3; ++j) z += X(i, j) * theta[j];
      total += y(i, 0) * log_sigmoid(z) + (1.0 - y(i, 0)) * log_sigmoid(-z);
    }
    for (std::size_t j = 0; j < 3; ++j) total -= lambda * theta[j] * theta[j];
    return total;
  };
  const slope::Result fit =
      slope::maximize(log_likelihood, std::vector<double>(4, 0.0), slope::Lbfgs{}, {.gradient_tolerance = 1e-9});
  BOOST_TEST_REQUIRE(fit.converged());
  for (std::size_t j = 0; j < 3; ++j) {
    BOOST_TEST(out["params"]["w"][j].get<double>() == fit.x[j], boost::test_tools::tolerance(1e-7));
  }
  BOOST_TEST(out["params"]["b"].get<double>() == fit.x[3], boost::test_tools::tolerance(1e-7));
  BOOST_TEST(out["objective"].get<double>() == fit.value, boost::test_tools::tolerance(1e-12));
  // The data were drawn with w = (1.5, -2, 0.5): the fit must at least get the signs.
  BOOST_TEST(fit.x[0] > 0.5);
  BOOST_TEST(fit.x[1] < -0.5);
}

BOOST_AUTO_TEST_CASE(text_result_on_stdout) {
  const ProcessResult run = run_slope({"optimize", model("rosenbrock.slope")});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(run.out.starts_with("status:        converged"));
  BOOST_TEST(run.out.find("sense:         minimize\n") != std::string::npos);
  BOOST_TEST(run.out.find("params:\n  x = 1\n  y = 1\n") != std::string::npos, run.out);
  BOOST_TEST(run.err.empty());
}

BOOST_AUTO_TEST_CASE(progress_goes_to_stderr_only_on_a_terminal) {
  const ProcessResult piped = run_slope({"optimize", model("rosenbrock.slope"), "--json"});
  const ProcessResult terminal =
      run_slope({"optimize", model("rosenbrock.slope"), "--json"}, {.stderr_is_terminal = true});
  BOOST_TEST_REQUIRE(piped.exit_code == 0);
  BOOST_TEST_REQUIRE(terminal.exit_code == 0);
  BOOST_TEST(piped.err.empty());
  BOOST_TEST(terminal.err.find("iteration") != std::string::npos, terminal.err);
  BOOST_TEST(terminal.err.find("objective") != std::string::npos);
  BOOST_TEST(terminal.out == piped.out);  // stdout never carries progress
}

BOOST_AUTO_TEST_CASE(at_sets_the_starting_point) {
  const ProcessResult run =
      run_slope({"optimize", model("rosenbrock.slope"), "--at", "x=1", "--at", "y=1", "--json", "--max-iter", "1"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);  // already at the minimum
  BOOST_TEST(json_of(run)["iterations"] == 0);
  BOOST_TEST(json_of(run)["objective"] == 0.0);
}

BOOST_AUTO_TEST_CASE(not_converging_exits_1_and_still_prints_the_result) {
  const ProcessResult run = run_slope({"optimize", model("rosenbrock.slope"), "--max-iter", "3", "--json"});
  BOOST_TEST(run.exit_code == 1);
  const nlohmann::json out = json_of(run);
  BOOST_TEST(out["status"] == "max_iterations");
  BOOST_TEST(out["iterations"] == 3);
  BOOST_TEST(out["params"]["x"].is_number());
}

BOOST_AUTO_TEST_CASE(max_evals_stops_a_run) {
  const ProcessResult run = run_slope({"optimize", model("rosenbrock.slope"), "--max-evals", "5", "--json"});
  BOOST_TEST(run.exit_code == 1, run.err);
  BOOST_TEST(json_of(run)["status"] == "max_evaluations");
  BOOST_TEST(json_of(run)["evaluations"] == 5);
  const ProcessResult text = run_slope({"optimize", model("rosenbrock.slope"), "--max-evals", "5"});
  BOOST_TEST(text.out.starts_with("status:        max_evaluations (reached the evaluation limit (5))\n"), text.out);
}

BOOST_AUTO_TEST_CASE(by_default_only_max_iter_stops_a_long_run) {
  // exp(x) decreases forever: Adam takes one evaluation per iteration, 25,000 of them, past
  // what used to be a hidden limit of 20,000 evaluations.
  const TempDir dir;
  const std::string path = dir.write("down.slope", "param x = 0\nminimize exp(x)\n");
  const ProcessResult run =
      run_slope({"optimize", path, "--method", "adam", "--max-iter", "25000", "--tol", "0", "--json"});
  BOOST_TEST(run.exit_code == 1, run.err);
  BOOST_TEST(json_of(run)["status"] == "max_iterations");
  BOOST_TEST(json_of(run)["iterations"] == 25000);
  BOOST_TEST(json_of(run)["evaluations"].get<int>() > 25000);
}

BOOST_AUTO_TEST_CASE(tolerance_sets_the_gradient_criterion) {
  const ProcessResult loose = run_slope({"optimize", model("rosenbrock.slope"), "--tol", "1e-1", "--json"});
  const ProcessResult tight = run_slope({"optimize", model("rosenbrock.slope"), "--tol", "1e-9", "--json"});
  BOOST_TEST_REQUIRE(loose.exit_code == 0);
  BOOST_TEST_REQUIRE(tight.exit_code == 0);
  BOOST_TEST(json_of(loose)["gradient_norm"].get<double>() <= 1e-1);
  BOOST_TEST(json_of(tight)["gradient_norm"].get<double>() <= 1e-9);
  BOOST_TEST(json_of(loose)["iterations"].get<int>() < json_of(tight)["iterations"].get<int>());
}

BOOST_AUTO_TEST_CASE(every_method_runs) {
  const std::vector<std::string> data{"--data", "x=" + model("least_squares.csv") + ":x", "--data",
                                      "y=" + model("least_squares.csv") + ":y"};
  for (const std::string method : {"lbfgs", "gd", "momentum", "adam"}) {
    std::vector<std::string> args{"optimize", model("least_squares.slope"), "--method", method, "--json",
                                  "--max-iter", "20000", "--tol", "1e-4"};
    args.insert(args.end(), data.begin(), data.end());
    if (method == "adam") args.insert(args.end(), {"--step-size", "0.05"});
    const ProcessResult run = run_slope(args);
    BOOST_TEST_INFO(method << ": " << run.out << run.err);
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(json_of(run)["params"]["slope"].get<double>() == 1.9857142857142858, boost::test_tools::tolerance(1e-3));
  }
}

BOOST_AUTO_TEST_CASE(trace_writes_one_row_per_iteration) {
  const TempDir dir;
  const std::string trace = dir.path("trace.csv");
  const ProcessResult run = run_slope(logistic("optimize", {"--json", "--trace", trace}));
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const nlohmann::json out = json_of(run);
  const std::vector<std::string> lines = lines_of(trace);
  BOOST_TEST_REQUIRE(lines.size() == out["iterations"].get<std::size_t>() + 2);  // header and iteration 0
  BOOST_TEST(lines[0] == "iteration,objective,gradient_norm,step,w[1],w[2],w[3],b");
  // The trace reads back with the CSV reader, and its last row is the result.
  const slope::lang::Matrix table = slope::lang::read_csv(trace);
  BOOST_TEST(table(0, 0) == 0.0);
  // 200 log(1/2) at w = 0, b = 0 (to rounding: the sum's order is the vector node's)
  BOOST_TEST(table(0, 1) == 200.0 * std::log(0.5), boost::test_tools::tolerance(1e-13));
  BOOST_TEST(table(table.rows - 1, 1) == out["objective"].get<double>());
  BOOST_TEST(table(table.rows - 1, 7) == out["params"]["b"].get<double>());
}

BOOST_AUTO_TEST_CASE(matrix_params_are_arrays_of_rows) {
  const TempDir dir;
  const std::string data = dir.write("a.csv", "1,2,3\n4,5,6\n");
  const std::string path = dir.write("matrix.slope", "data A[m, k]\nparam W[m, k] = 0\nminimize sum((W - A) .^ 2)\n");
  const ProcessResult run = run_slope({"optimize", path, "--data", "A=" + data, "--json"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const nlohmann::json w = json_of(run)["params"]["W"];
  BOOST_TEST_REQUIRE(w.size() == 2u);
  BOOST_TEST(w[1].size() == 3u);
  BOOST_TEST(w[1][2].get<double>() == 6.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(w[0][1].get<double>() == 2.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(set_overrides_a_constant) {
  const ProcessResult ridge = run_slope(logistic("optimize", {"--json"}));
  const ProcessResult heavy = run_slope(logistic("optimize", {"--json", "--set", "lambda=100"}));
  BOOST_TEST_REQUIRE(ridge.exit_code == 0);
  BOOST_TEST_REQUIRE(heavy.exit_code == 0);
  const double w_ridge = json_of(ridge)["params"]["w"][0].get<double>();
  const double w_heavy = json_of(heavy)["params"]["w"][0].get<double>();
  BOOST_TEST(std::abs(w_heavy) < 0.5 * std::abs(w_ridge));  // a heavy penalty shrinks the weights
}

BOOST_AUTO_TEST_CASE(the_matrix_bounded_and_network_examples_converge_as_their_comments_say) {
  // Each with the command line written in its header comment.
  const std::string softmax = model("softmax.csv");
  const ProcessResult fit = run_slope({"optimize", model("softmax_regression.slope"), "--data", "X=" + softmax + ":x1-x4",
                                       "--data", "y=" + softmax + ":label", "--json"});
  BOOST_TEST_REQUIRE(fit.exit_code == 0, fit.err);
  const nlohmann::json out = json_of(fit);
  BOOST_TEST(out["status"] == "converged");
  BOOST_TEST(out["params"]["W"].size() == 4u);     // [d, k] as rows
  BOOST_TEST(out["params"]["W"][0].size() == 3u);
  // The generating weights are recovered in sign where they are large: W(1,1) = 1.5, W(2,3) = -1.5.
  BOOST_TEST(out["params"]["W"][0][0].get<double>() > 0.5);
  BOOST_TEST(out["params"]["W"][1][2].get<double>() < -0.5);

  // sigma > 0: the line is the least-squares line, sigma the root mean squared residual.
  const std::string points = model("least_squares.csv");
  const ProcessResult normal = run_slope({"optimize", model("normal_regression.slope"), "--data", "x=" + points + ":x",
                                          "--data", "y=" + points + ":y", "--json", "--tol", "1e-9"});
  BOOST_TEST_REQUIRE(normal.exit_code == 0, normal.err);
  const nlohmann::json line = json_of(normal);
  const ProcessResult squares = run_slope({"optimize", model("least_squares.slope"), "--data", "x=" + points + ":x",
                                           "--data", "y=" + points + ":y", "--json", "--tol", "1e-9"});
  BOOST_TEST_REQUIRE(squares.exit_code == 0, squares.err);
  const nlohmann::json ls = json_of(squares);
  for (const auto& [key, value] : ls["params"].items()) {
    BOOST_TEST(line["params"][key].get<double>() == value.get<double>(), boost::test_tools::tolerance(1e-7));
  }
  BOOST_TEST(line["params"]["sigma"].get<double>() > 0.0);

  const std::string network = model("network.csv");
  const ProcessResult net = run_slope({"optimize", model("two_layer_network.slope"), "--data",
                                       "X=" + network + ":x1,x2", "--data", "y=" + network + ":y", "--tol", "1e-5",
                                       "--max-iter", "5000", "--json"});
  BOOST_TEST_REQUIRE(net.exit_code == 0, net.err);
  const nlohmann::json fitted = json_of(net);
  BOOST_TEST(fitted["status"] == "converged");
  // The noise has variance 0.0025; the fit comes close to it (a linear fit leaves about 0.1).
  BOOST_TEST(fitted["objective"].get<double>() < 0.006);
}

BOOST_AUTO_TEST_SUITE_END()
