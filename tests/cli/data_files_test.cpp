// --data with JSON and .npy files end to end: the same fit as from CSV, every name of a JSON
// file bound (data, consts, dimensions), the last --data for a name winning, and golden
// messages for the errors a user meets.

#include <boost/test/unit_test.hpp>

#include <bit>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "lang/npy_bytes.hpp"

namespace {

using namespace slope::test;

/// Runs slope and checks that it failed as bad input; returns stderr.
std::string bad_input(const std::vector<std::string>& args) {
  const ProcessResult run = run_slope(args);
  BOOST_TEST(run.exit_code == 2, run.out << run.err);
  BOOST_TEST(run.out.empty());
  return run.err;
}

const char* const kF8 = std::endian::native == std::endian::little ? "<f8" : ">f8";

// least_squares.csv as JSON and as .npy vectors.
const std::string kPointsJson = R"({"x": [0, 1, 2, 3, 4, 5, 6, 7], "y": [1.1, 2.9, 5.2, 6.8, 9.1, 10.9, 13.2, 14.8]})";
const std::vector<double> kX{0, 1, 2, 3, 4, 5, 6, 7};
const std::vector<double> kY{1.1, 2.9, 5.2, 6.8, 9.1, 10.9, 13.2, 14.8};

std::vector<std::string> from_csv() {
  return {"optimize", model("least_squares.slope"), "--json", "--data", "x=" + model("least_squares.csv") + ":x",
          "--data", "y=" + model("least_squares.csv") + ":y"};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_and_npy_data)

BOOST_AUTO_TEST_CASE(a_json_file_binds_every_name_it_holds) {
  const TempDir dir;
  const std::string json = dir.write("points.json", kPointsJson);
  const ProcessResult csv = run_slope(from_csv());
  const ProcessResult run = run_slope({"optimize", model("least_squares.slope"), "--json", "--data", json});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(run.out == csv.out);  // the same numbers give the same bits
}

BOOST_AUTO_TEST_CASE(npy_files_bind_by_name) {
  const TempDir dir;
  const std::string x = dir.write("x.npy", npy(kF8, "(8,)", raw(kX)));
  // y as a column (8, 1) of float32 would not be the same numbers: a column of float64.
  const std::string y = dir.write("y.npy", npy(kF8, "(8, 1)", raw(kY)));
  const ProcessResult run =
      run_slope({"optimize", model("least_squares.slope"), "--json", "--data", "x=" + x, "--data", "y=" + y});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(run.out == run_slope(from_csv()).out);
}

BOOST_AUTO_TEST_CASE(consts_and_dimensions_from_json_and_the_last_data_wins) {
  const TempDir dir;
  const std::string json = dir.write("data.json", R"({"n": 3, "X": [[1, 0], [0, 1], [1, 1]], "y": [1, 2, 3],
                                                       "lambda": 0})");
  const std::string path = dir.write("ridge.slope",
                                     "data X[n, d]\ndata y[n]\nconst lambda = 1\nparam w[d] = 0\n"
                                     "let r = X * w - y\nminimize dot(r, r) + lambda * dot(w, w)\n");
  // lambda = 0 from the file: least squares, w = (1, 2) exactly fits.
  const ProcessResult fit = run_slope({"optimize", path, "--json", "--data", json, "--tol", "1e-10"});
  BOOST_TEST_REQUIRE(fit.exit_code == 0, fit.err);
  BOOST_TEST(json_of(fit)["params"]["w"][0].get<double>() == 1.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(json_of(fit)["params"]["w"][1].get<double>() == 2.0, boost::test_tools::tolerance(1e-9));
  // --set wins over the file; a later --data wins over the file's y.
  const std::string y = dir.write("y.csv", "0\n0\n0\n");
  const ProcessResult gradient =
      run_slope({"gradient", path, "--json", "--data", json, "--data", "y=" + y, "--set", "lambda=2", "--at", "w=1,1"});
  BOOST_TEST_REQUIRE(gradient.exit_code == 0, gradient.err);
  // r = X w = (1, 1, 2): |r|^2 + 2 |w|^2 = 6 + 4
  BOOST_TEST(json_of(gradient)["objective"].get<double>() == 10.0);
  // ...and a file after the --data wins back.
  const ProcessResult again = run_slope(
      {"gradient", path, "--json", "--data", "y=" + y, "--data", json, "--at", "w=1,1"});
  BOOST_TEST_REQUIRE(again.exit_code == 0, again.err);
  BOOST_TEST(json_of(again)["objective"].get<double>() == 2.0);  // y = (1, 2, 3), lambda = 0: r = (0, -1, -1)
}

BOOST_AUTO_TEST_CASE(a_name_from_a_json_file) {
  const TempDir dir;
  const std::string json = dir.write("points.json", kPointsJson);
  const ProcessResult run = run_slope({"optimize", model("least_squares.slope"), "--json", "--data", "x=" + json,
                                       "--data", "y=" + model("least_squares.csv") + ":y"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(run.out == run_slope(from_csv()).out);
  BOOST_TEST(bad_input({"optimize", model("least_squares.slope"), "--data", "x=" + json, "--data",
                        "y=" + dir.write("other.json", R"({"z": [1]})")}) ==
             dir.path("other.json") + ": error: no value named \"y\" (the file has z)\n");
}

BOOST_AUTO_TEST_CASE(json_errors_name_the_file_and_the_value) {
  const TempDir dir;
  const std::string slope = model("least_squares.slope");
  BOOST_TEST(bad_input({"optimize", slope, "--data", dir.write("a.json", "{\"x\": [1, 2],\n \"y\": [1, 2,]}")}) ==
             dir.path("a.json") + ":2:13: error: not valid JSON: syntax error while parsing value - unexpected ']'; "
                                  "expected '[', '{', or a literal\n");
  BOOST_TEST(bad_input({"optimize", slope, "--data", dir.write("b.json", R"({"x": [1, 2], "y": [[1], [2, 3]]})")}) ==
             dir.path("b.json") + ": error: y[1]: a row of 2 numbers, expected 1 as in y[0]\n");
  BOOST_TEST(bad_input({"optimize", slope, "--data", dir.write("c.json", R"({"x": [1, 2], "y": [1, "two"]})")}) ==
             dir.path("c.json") + ": error: y[1]: expected a number, found the string \"two\"\n");
  BOOST_TEST(bad_input({"optimize", slope, "--data", dir.write("d.json", R"({"x": [1, 2], "y": [1, 2], "yy": 3})")}) ==
             dir.path("d.json") + ": error: yy: the model declares no data, const or dimension named 'yy'; did you "
                                  "mean 'y'?\n");
  BOOST_TEST(bad_input({"optimize", slope, "--data", dir.write("e.json", R"({"x": [1, 2], "y": [1, 2], "n": 3})")}) ==
             dir.path("e.json") + ": error: n: the file gives n = 3, but the data bound give n = 2\n");
  // A declared data name the file does not hold.
  BOOST_TEST(bad_input({"optimize", slope, "--data", dir.write("f.json", R"({"x": [1, 2]})")}) ==
             slope + ":5:1: error: no data for \"y\": pass --data y=FILE.csv[:COLUMNS]\n  data y[n]\n  ^\n");
}

BOOST_AUTO_TEST_CASE(npy_errors_name_the_file_and_what_is_wrong) {
  const TempDir dir;
  const std::string slope = model("least_squares.slope");
  const std::string y = "y=" + model("least_squares.csv") + ":y";
  BOOST_TEST(bad_input({"optimize", slope, "--data", "x=" + dir.write("a.npy", "x\n1\n"), "--data", y}) ==
             dir.path("a.npy") + ": error: not a NumPy .npy file: it does not start with the bytes \\x93NUMPY\n");
  BOOST_TEST(bad_input({"optimize", slope, "--data", "x=" + dir.write("b.npy", npy("<U3", "(1,)", std::string(12, 'a'))),
                        "--data", y}) ==
             dir.path("b.npy") + ": error: element type '<U3' is not supported: use float64 ('<f8'), float32, an "
                                 "integer type or bool\n");
  // The shape disagrees with the declaration: shown at the declaration, with the file's name.
  BOOST_TEST(bad_input({"optimize", slope, "--data", "x=" + dir.write("c.npy", npy(kF8, "(4, 2)", raw(kX))),
                        "--data", y}) ==
             slope + ":4:1: error: data 'x' is declared [n] (a vector), but its data is a 4 x 2 matrix (from " +
                 dir.path("c.npy") + ")\n  data x[n]\n  ^\n");
  BOOST_TEST(bad_input({"optimize", slope, "--data", "x=" + dir.write("d.npy", npy(kF8, "(4,)", raw(std::vector<double>{0, 1, 2, 3}))), "--data",
                        y}) ==
             slope + ":5:8: error: data 'y' is declared [n] with n = 4 (the rows of 'x', from " + dir.path("d.npy") +
                 "), but its data has shape [8] (from " + model("least_squares.csv") + ":y)\n  data y[n]\n         ^\n");
}

BOOST_AUTO_TEST_SUITE_END()
