// JSON data files (CmdStan's form) and binding values that know their rank: what each JSON
// value becomes, Model::bind_all (data, consts, dimensions), the rank check of
// Model::bind_data(Array), and a golden message for every error.

#include <boost/test/unit_test.hpp>

#include <slope/lang/errors.hpp>
#include <slope/lang/json_data.hpp>
#include <slope/lang/model.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "lang/support.hpp"

namespace {

using slope::lang::Array;
using slope::lang::CheckError;
using slope::lang::DataError;
using slope::lang::Matrix;
using slope::lang::Model;
using slope::lang::NamedArray;
using slope::lang::parse_json_data;
using slope::lang::test::error_of;

std::vector<NamedArray> parse(std::string_view text) { return parse_json_data(text, "data.json"); }

std::string json_error(std::string_view text) {
  return error_of<DataError>([&] { (void)parse(text); });
}

std::vector<double> entries(const Array& a) {
  const auto e = a.matrix.entries();
  return {e.begin(), e.end()};
}

const std::string kRegression =
    "data X[n, d]\n"
    "data y[n]\n"
    "const lambda = 0.5\n"
    "param w[d] = 0\n"
    "let r = X * w - y\n"
    "minimize dot(r, r) + lambda * dot(w, w)\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(json_reading)

BOOST_AUTO_TEST_CASE(numbers_vectors_and_matrices_in_file_order) {
  const auto values = parse(R"({"y": [1, 2.5, -3e2], "X": [[1, 2], [3, 4], [5, 6]], "n": 3, "e": [], "z": [[]]})");
  BOOST_TEST_REQUIRE(values.size() == 5u);
  BOOST_TEST(values[0].name == "y");
  BOOST_TEST(values[0].array.rank == 1);
  BOOST_TEST(entries(values[0].array) == (std::vector<double>{1, 2.5, -300}), boost::test_tools::per_element());
  BOOST_TEST(values[1].name == "X");
  BOOST_TEST(values[1].array.rank == 2);
  BOOST_TEST(values[1].array.matrix.rows == 3u);
  BOOST_TEST(values[1].array.matrix.cols == 2u);
  BOOST_TEST(entries(values[1].array) == (std::vector<double>{1, 2, 3, 4, 5, 6}), boost::test_tools::per_element());
  BOOST_TEST(values[1].array.matrix.origin == "X in data.json");
  BOOST_TEST(values[2].array.rank == 0);
  BOOST_TEST(entries(values[2].array) == (std::vector<double>{3}), boost::test_tools::per_element());
  BOOST_TEST(values[3].array.rank == 1);
  BOOST_TEST(values[3].array.matrix.rows == 0u);
  BOOST_TEST(values[4].array.rank == 2);
  BOOST_TEST(values[4].array.matrix.rows == 1u);
  BOOST_TEST(values[4].array.matrix.cols == 0u);
}

BOOST_AUTO_TEST_CASE(cmdstan_strings_for_nan_and_infinities) {
  const auto values = parse(R"({"v": ["NaN", "Inf", "-Inf", "Infinity", "-Infinity", 0.1]})");
  const std::vector<double> v = entries(values.at(0).array);
  BOOST_TEST(std::isnan(v[0]));
  BOOST_TEST(v[1] == INFINITY);
  BOOST_TEST(v[2] == -INFINITY);
  BOOST_TEST(v[3] == INFINITY);
  BOOST_TEST(v[4] == -INFINITY);
  BOOST_TEST(v[5] == 0.1);
}

BOOST_AUTO_TEST_CASE(numbers_parse_exactly) {
  const auto values = parse(R"({"v": [0.1, 123456789012345678, 4.9e-324, 1.7976931348623157e308, -0]})");
  const std::vector<double> v = entries(values.at(0).array);
  BOOST_TEST(v[0] == 0.1);
  BOOST_TEST(v[1] == 123456789012345678.0);
  BOOST_TEST(v[2] == 4.9e-324);
  BOOST_TEST(v[3] == 1.7976931348623157e308);
  BOOST_TEST(std::signbit(v[4]) == false);  // JSON's integer -0 is 0
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(json_errors)

BOOST_AUTO_TEST_CASE(text_that_is_not_json_names_line_and_column) {
  BOOST_TEST(json_error("{\"y\": [1, 2,\n  x]}") ==
             "data.json:2:3: error: not valid JSON: syntax error while parsing value - invalid literal; last read: "
             "'2,<U+000A>  x'");
  BOOST_TEST(json_error("{\"y\": [1, 2]") ==
             "data.json:1:13: error: not valid JSON: syntax error while parsing object - unexpected end of input; "
             "expected '}'");
  BOOST_TEST(json_error("") ==
             "data.json:1:1: error: not valid JSON: syntax error while parsing value - unexpected end of input; "
             "expected '[', '{', or a literal");
}

BOOST_AUTO_TEST_CASE(the_top_level_must_be_an_object) {
  BOOST_TEST(json_error("[1, 2]") ==
             "data.json: error: expected a JSON object of data by name, as {\"y\": [1, 2]}, found an array");
  BOOST_TEST(json_error("3") ==
             "data.json: error: expected a JSON object of data by name, as {\"y\": [1, 2]}, found a number");
}

BOOST_AUTO_TEST_CASE(values_that_are_not_numbers_name_their_path) {
  BOOST_TEST(json_error(R"({"y": [1, "abc", 3]})") ==
             "data.json: error: y[1]: expected a number, found the string \"abc\"");
  BOOST_TEST(json_error(R"({"y": [1, null]})") == "data.json: error: y[1]: expected a number, found null");
  BOOST_TEST(json_error(R"({"n": true})") ==
             "data.json: error: n: expected a number, an array of numbers or an array of rows, found true");
  BOOST_TEST(json_error(R"({"n": {"a": 1}})") ==
             "data.json: error: n: expected a number, an array of numbers or an array of rows, found an object");
  BOOST_TEST(json_error(R"({"X": [[1, 2], [3, "x"]]})") ==
             "data.json: error: X[1][1]: expected a number, found the string \"x\"");
  BOOST_TEST(json_error(R"({"y": [1, [2]]})") == "data.json: error: y[1]: expected a number, found an array (a "
                                                 "model's data has at most 2 dimensions)");
  BOOST_TEST(json_error(R"({"X": [[[1]]]})") == "data.json: error: X[0][0]: expected a number, found an array (a "
                                                "model's data has at most 2 dimensions)");
  BOOST_TEST(json_error("{\"y\": [1,\n 1e400]}") == "data.json:2:2: error: number \"1e400\" is too large for a double");
}

BOOST_AUTO_TEST_CASE(ragged_rows) {
  BOOST_TEST(json_error(R"({"X": [[1, 2], [3, 4], [5]]})") ==
             "data.json: error: X[2]: a row of 1 number, expected 2 as in X[0]");
  BOOST_TEST(json_error(R"({"X": [[1, 2], 3]})") ==
             "data.json: error: X[1]: expected a row (an array of numbers) as X[0] is, found a number");
}

BOOST_AUTO_TEST_CASE(a_name_given_twice) {
  BOOST_TEST(json_error(R"({"y": [1], "n": 1, "y": [2]})") == "data.json: error: y: the name is given twice");
}

BOOST_AUTO_TEST_CASE(a_file_that_cannot_be_opened) {
  const std::filesystem::path missing = std::filesystem::temp_directory_path() / "slope_no_such_file.json";
  BOOST_TEST(error_of<DataError>([&] { (void)slope::lang::read_json_data(missing); }) ==
             missing.string() + ": error: cannot open the file: No such file or directory");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(binding_every_name)

BOOST_AUTO_TEST_CASE(data_consts_and_dimensions) {
  Model model = Model::parse(kRegression, "model.slope");
  model.bind_all(parse(R"({"X": [[1, 0], [0, 1], [1, 1]], "y": [1, 2, 3], "n": 3, "d": 2, "lambda": 0})"),
                 "data.json");
  model.check();
  BOOST_TEST(model.dimension("n").value_or(0) == 3u);
  BOOST_TEST(model.dimension("d").value_or(0) == 2u);
  // lambda = 0 from the file: the objective at w = 0 is |y|^2 and its gradient -2 X'y.
  std::vector<double> gradient(2);
  BOOST_TEST(model.value_and_gradient(std::vector<double>{0, 0}, gradient) == 14.0);
  BOOST_TEST(gradient == (std::vector<double>{-8, -10}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(declared_names_and_dimensions) {
  Model model = Model::parse(kRegression, "model.slope");
  const auto names = model.declared_names();
  using slope::lang::NameKind;
  const std::vector<std::pair<std::string, NameKind>> expected{
      {"X", NameKind::Data},       {"n", NameKind::Dimension}, {"d", NameKind::Dimension}, {"y", NameKind::Data},
      {"lambda", NameKind::Const}, {"w", NameKind::Param},     {"r", NameKind::Let}};
  BOOST_TEST((names == expected));
  BOOST_TEST(!model.dimension("n").has_value());
  model.bind_data("y", Matrix::from_vector(std::vector<double>{1, 2}));
  BOOST_TEST(model.dimension("n").value_or(0) == 2u);
  BOOST_TEST(!model.dimension("d").has_value());
}

BOOST_AUTO_TEST_CASE(errors_name_the_file_and_the_value) {
  const auto bind = [](std::string_view json) {
    return error_of<slope::lang::Error>([&] {
      Model model = Model::parse(kRegression, "model.slope");
      model.bind_all(parse(json), "data.json");
    });
  };
  BOOST_TEST(bind(R"({"Y": [1]})") ==
             "data.json: error: Y: the model declares no data, const or dimension named 'Y'; did you mean 'y'?");
  BOOST_TEST(bind(R"({"w": [1, 2]})") == "data.json: error: w: 'w' is a param of the model, not data");
  BOOST_TEST(bind(R"({"r": 1})") == "data.json: error: r: 'r' is a let of the model, not data");
  BOOST_TEST(bind(R"({"lambda": [1, 2]})") ==
             "data.json: error: lambda: 'lambda' is a const of the model and takes one number, not a vector of 2 "
             "numbers");
  BOOST_TEST(bind(R"({"X": [[1], [2]], "n": [2]})") ==
             "data.json: error: n: 'n' is a dimension of the model and takes one number, not a vector of 1 number");
  BOOST_TEST(bind(R"({"X": [[1], [2]], "n": 3})") ==
             "data.json: error: n: the file gives n = 3, but the data bound give n = 2");
  BOOST_TEST(bind(R"({"d": 3})") == "data.json: error: d: 'd' is a dimension of the model's data, but none of the "
                                    "data that declare it is bound yet");
  // Shapes the data disagree on are the model's CheckErrors, at the declaration.
  BOOST_TEST(bind(R"({"X": [[1], [2]], "y": [1, 2, 3]})") ==
             "model.slope:2:8: error: data 'y' is declared [n] with n = 2 (the rows of 'X', from X in data.json), but "
             "its data has shape [3] (from y in data.json)");
}

BOOST_AUTO_TEST_CASE(an_unknown_name_binds_nothing) {
  Model model = Model::parse(kRegression, "model.slope");
  BOOST_CHECK_THROW(model.bind_all(parse(R"({"y": [1, 2], "q": 1})"), "data.json"), DataError);
  BOOST_TEST(!model.dimension("n").has_value());
}

BOOST_AUTO_TEST_CASE(the_rank_must_be_the_declarations) {
  const auto bind = [](std::string_view name, Array array) {
    return error_of<CheckError>([&] {
      Model model = Model::parse("data s\ndata v[n]\ndata M[n, k]\nparam x = 0\nminimize x\n", "model.slope");
      model.bind_data(name, std::move(array));
    });
  };
  const auto array = [](int rank, std::size_t rows, std::size_t cols) {
    return Array{rank, Matrix{rows, cols, std::vector<double>(rows * cols, 1.0), "a.npy"}};
  };
  BOOST_TEST(bind("s", array(1, 3, 1)) ==
             "model.slope:1:1: error: data 's' is declared a scalar, but its data is a vector of 3 numbers (from a.npy)");
  BOOST_TEST(bind("v", array(2, 3, 4)) ==
             "model.slope:2:1: error: data 'v' is declared [n] (a vector), but its data is a 3 x 4 matrix (from a.npy)");
  BOOST_TEST(bind("M", array(1, 3, 1)) == "model.slope:3:1: error: data 'M' is declared [n, k] (a matrix), but its "
                                          "data is a vector of 3 numbers (from a.npy)");
  BOOST_TEST(bind("M", array(0, 1, 1)) ==
             "model.slope:3:1: error: data 'M' is declared [n, k] (a matrix), but its data is a scalar (from a.npy)");
  // What fits binds: a vector also takes a column.
  BOOST_TEST(bind("v", array(2, 3, 1)).empty());
  BOOST_TEST(bind("s", array(0, 1, 1)).empty());
  BOOST_TEST(bind("M", array(2, 2, 5)).empty());
}

BOOST_AUTO_TEST_SUITE_END()
