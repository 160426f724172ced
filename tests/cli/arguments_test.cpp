// The NAME=VALUE forms of --data, --set and --at, parsed without running anything; in
// particular the rule for a ':' in a --data path.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>

#include "arguments.hpp"
#include "cli_support.hpp"

namespace {
using slope::cli::parse_constant_setting;
using slope::cli::parse_data_binding;
using slope::cli::parse_parameter_setting;
using slope::cli::UsageError;

std::string usage_error(void (*parse)(std::string_view), std::string_view text) {
  try {
    parse(text);
  } catch (const UsageError& error) {
    return error.what();
  }
  return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(data_flag)

BOOST_AUTO_TEST_CASE(columns_follow_the_last_colon) {
  const auto b = parse_data_binding("X=data.csv:1-20");
  BOOST_TEST(b.name == "X");
  BOOST_TEST(b.path.string() == "data.csv");
  BOOST_TEST(b.columns == "1-20");
  BOOST_TEST(parse_data_binding("y=dir/data.csv:label").columns == "label");
  BOOST_TEST(parse_data_binding("y = a:b.csv:1,3,5-7").path.string() == "a:b.csv");
  BOOST_TEST(parse_data_binding("y=a:b.csv:1,3,5-7").columns == "1,3,5-7");
}

BOOST_AUTO_TEST_CASE(no_columns) {
  const auto b = parse_data_binding("X=data.csv");
  BOOST_TEST(b.path.string() == "data.csv");
  BOOST_TEST(b.columns.empty());
}

BOOST_AUTO_TEST_CASE(a_colon_before_a_slash_is_part_of_the_path) {
  BOOST_TEST(parse_data_binding("X=/mnt/c:/data.csv").path.string() == "/mnt/c:/data.csv");
  BOOST_TEST(parse_data_binding("X=C:\\data\\x.csv").path.string() == "C:\\data\\x.csv");
}

BOOST_AUTO_TEST_CASE(an_existing_file_with_a_colon_in_its_name_is_a_path) {
  const slope::test::TempDir dir;
  const std::string path = dir.write("run:2.csv", "1\n");
  const auto b = parse_data_binding("X=" + path);
  BOOST_TEST(b.path.string() == path);
  BOOST_TEST(b.columns.empty());
}

BOOST_AUTO_TEST_CASE(formats_by_extension) {
  using slope::cli::DataFormat;
  BOOST_TEST((parse_data_binding("X=data.csv:1-2").format == DataFormat::Csv));
  BOOST_TEST((parse_data_binding("X=data.txt").format == DataFormat::Csv));
  BOOST_TEST((parse_data_binding("X=dir/X.npy").format == DataFormat::Npy));
  BOOST_TEST((parse_data_binding("X=X.NPY").format == DataFormat::Npy));
  const auto one = parse_data_binding("y=data.json");
  BOOST_TEST((one.format == DataFormat::Json));
  BOOST_TEST(one.name == "y");
  // A JSON file alone binds every name it holds.
  const auto all = parse_data_binding(" dir/data.JSON ");
  BOOST_TEST((all.format == DataFormat::Json));
  BOOST_TEST(all.name.empty());
  BOOST_TEST(all.path.string() == "dir/data.JSON");
}

BOOST_AUTO_TEST_CASE(malformed) {
  const auto parse = [](std::string_view t) { (void)parse_data_binding(t); };
  const std::string form = "expected NAME=PATH[:COLUMNS] or FILE.json, e.g. X=data.csv:1-20";
  BOOST_TEST(usage_error(parse, "data.csv") == "--data \"data.csv\": " + form);
  BOOST_TEST(usage_error(parse, "X.npy") == "--data \"X.npy\": " + form);
  BOOST_TEST(usage_error(parse, "=data.csv") == "--data \"=data.csv\": " + form);
  BOOST_TEST(usage_error(parse, "X=") == "--data \"X=\": " + form);
  BOOST_TEST(usage_error(parse, "X=data.csv:") == "--data \"X=data.csv:\": nothing after the ':'; " + form);
  BOOST_TEST(usage_error(parse, "X=:2") == "--data \"X=:2\": nothing before the ':'; " + form);
  BOOST_TEST(usage_error(parse, "X=X.npy:1-2") ==
             "--data \"X=X.npy:1-2\": columns (\"1-2\") are for CSV files; a .npy file holds one array");
  BOOST_TEST(usage_error(parse, "X=d.json:X") ==
             "--data \"X=d.json:X\": columns (\"X\") are for CSV files; a JSON file binds values by name");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(set_and_at_flags)

BOOST_AUTO_TEST_CASE(numbers) {
  BOOST_TEST(parse_constant_setting("lambda=0.1").value == 0.1);
  BOOST_TEST(parse_constant_setting(" lambda = +2e-3 ").value == 2e-3);
  BOOST_TEST(parse_constant_setting("lambda=-inf").value == -INFINITY);
  const auto at = parse_parameter_setting("w=1, -2.5,3e1");
  BOOST_TEST(at.name == "w");
  BOOST_TEST(at.values == (std::vector<double>{1, -2.5, 30}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(malformed) {
  const auto set = [](std::string_view t) { (void)parse_constant_setting(t); };
  const auto at = [](std::string_view t) { (void)parse_parameter_setting(t); };
  BOOST_TEST(usage_error(set, "lambda=") == "--set \"lambda=\": \"\" is not a number");
  BOOST_TEST(usage_error(set, "lambda=1x") == "--set \"lambda=1x\": \"1x\" is not a number");
  BOOST_TEST(usage_error(set, "lambda=+-1") == "--set \"lambda=+-1\": \"+-1\" is not a number");
  BOOST_TEST(usage_error(at, "w=1,") == "--at \"w=1,\": \"\" is not a number");
  BOOST_TEST(usage_error(at, "=1") == "--at \"=1\": expected NAME=V1,V2,..., e.g. w=0.5,-1");
}

BOOST_AUTO_TEST_SUITE_END()
