// The .npy reader: the element types, byte orders and layouts it reads (files written byte
// for byte as numpy.lib.format writes them), memory-mapping without a copy, and a golden
// message for every error.

#include <boost/test/unit_test.hpp>

#include <slope/lang/errors.hpp>
#include <slope/lang/npy.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "lang/support.hpp"

#include "lang/npy_bytes.hpp"

namespace {

using slope::lang::test::TempFile;

using slope::lang::Array;
using slope::lang::DataError;
using slope::lang::parse_npy;
using slope::lang::read_npy;

using slope::test::npy;
using slope::test::raw;

Array parse(const std::string& bytes) {
  return parse_npy({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, "X.npy");
}

std::vector<double> entries(const Array& a) {
  const auto e = a.matrix.entries();
  return {e.begin(), e.end()};
}

std::string error_of(const std::string& bytes) {
  try {
    (void)parse(bytes);
  } catch (const DataError& error) {
    return error.what();
  }
  return "";
}

constexpr bool kLittle = std::endian::native == std::endian::little;
const char* const kF8 = kLittle ? "<f8" : ">f8";

}  // namespace

BOOST_AUTO_TEST_SUITE(npy_reading)

BOOST_AUTO_TEST_CASE(a_float64_matrix_a_vector_and_a_scalar) {
  const Array m = parse(npy(kF8, "(2, 3)", raw<double>({1, 2, 3, 4, 5, 6.5})));
  BOOST_TEST(m.rank == 2);
  BOOST_TEST(m.matrix.rows == 2u);
  BOOST_TEST(m.matrix.cols == 3u);
  BOOST_TEST(entries(m) == (std::vector<double>{1, 2, 3, 4, 5, 6.5}), boost::test_tools::per_element());
  BOOST_TEST(m.matrix.origin == "X.npy");
  const Array v = parse(npy(kF8, "(3,)", raw<double>({0.1, -2, NAN})));
  BOOST_TEST(v.rank == 1);
  BOOST_TEST(v.matrix.rows == 3u);
  BOOST_TEST(v.matrix.cols == 1u);
  BOOST_TEST(std::isnan(entries(v)[2]));
  const Array s = parse(npy(kF8, "()", raw<double>({42})));
  BOOST_TEST(s.rank == 0);
  BOOST_TEST(entries(s) == (std::vector<double>{42}), boost::test_tools::per_element());
  const Array empty = parse(npy(kF8, "(0, 4)", ""));
  BOOST_TEST(empty.matrix.rows == 0u);
  BOOST_TEST(empty.matrix.cols == 4u);
}

BOOST_AUTO_TEST_CASE(versions_2_and_3_have_a_four_byte_header_length) {
  for (const int major : {2, 3}) {
    const Array v = parse(npy(kF8, "(2,)", raw<double>({1, 2}), false, major));
    BOOST_TEST(entries(v) == (std::vector<double>{1, 2}), boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(the_other_byte_order_is_swapped) {
  const char* other = kLittle ? ">f8" : "<f8";
  BOOST_TEST(entries(parse(npy(other, "(2,)", raw<double>({1.5, -3}, true)))) == (std::vector<double>{1.5, -3}),
             boost::test_tools::per_element());
  const char* other_i4 = kLittle ? ">i4" : "<i4";
  BOOST_TEST(entries(parse(npy(other_i4, "(2,)", raw<std::int32_t>({-7, 100000}, true)))) ==
                 (std::vector<double>{-7, 100000}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(fortran_order_is_transposed_into_rows) {
  // np.asfortranarray([[1, 2, 3], [4, 5, 6]]) stores the columns one after the other.
  const Array m = parse(npy(kF8, "(2, 3)", raw<double>({1, 4, 2, 5, 3, 6}), true));
  BOOST_TEST(entries(m) == (std::vector<double>{1, 2, 3, 4, 5, 6}), boost::test_tools::per_element());
  BOOST_TEST(entries(parse(npy(kF8, "(3,)", raw<double>({1, 2, 3}), true))) == (std::vector<double>{1, 2, 3}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(integers_float32_and_bool_convert_exactly) {
  const std::string le = kLittle ? "<" : ">";
  BOOST_TEST(entries(parse(npy(le + "f4", "(2,)", raw<float>({0.1f, -2.5f})))) ==
                 (std::vector<double>{static_cast<double>(0.1f), -2.5}),
             boost::test_tools::per_element());
  BOOST_TEST(entries(parse(npy("|i1", "(2,)", raw<std::int8_t>({-128, 127})))) == (std::vector<double>{-128, 127}),
             boost::test_tools::per_element());
  BOOST_TEST(entries(parse(npy("|u1", "(1,)", raw<std::uint8_t>({255})))) == (std::vector<double>{255}),
             boost::test_tools::per_element());
  BOOST_TEST(entries(parse(npy(le + "i2", "(1,)", raw<std::int16_t>({-300})))) == (std::vector<double>{-300}),
             boost::test_tools::per_element());
  BOOST_TEST(entries(parse(npy(le + "u4", "(1,)", raw<std::uint32_t>({4000000000u})))) ==
                 (std::vector<double>{4e9}),
             boost::test_tools::per_element());
  const std::int64_t big = std::int64_t{1} << 53;
  BOOST_TEST(entries(parse(npy(le + "i8", "(2,)", raw<std::int64_t>({-big, big})))) ==
                 (std::vector<double>{-9007199254740992.0, 9007199254740992.0}),
             boost::test_tools::per_element());
  BOOST_TEST(entries(parse(npy("|b1", "(3,)", raw<std::uint8_t>({1, 0, 1})))) == (std::vector<double>{1, 0, 1}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(python2_long_dimensions_and_a_header_without_trailing_comma) {
  std::string bytes = npy(kF8, "(2L, 1L)", raw<double>({3, 4}));
  BOOST_TEST(entries(parse(bytes)) == (std::vector<double>{3, 4}), boost::test_tools::per_element());
  const std::string dict = fmt::format("{{\"shape\": (1,), \"fortran_order\": False, \"descr\": \"{}\"}}\n", kF8);
  std::string plain = "\x93NUMPY\x01";
  plain += '\0';
  plain += static_cast<char>(dict.size());
  plain += '\0';
  BOOST_TEST(entries(parse(plain + dict + raw<double>({7}))) == (std::vector<double>{7}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_file_is_mapped_and_a_float64_file_not_copied) {
  const TempFile file("slope_npy_test.npy", npy(kF8, "(2, 2)", raw<double>({1, 2, 3, 4})));
  const Array m = read_npy(file.path);
  BOOST_TEST(m.matrix.values.empty());  // the entries are the mapped file's
  BOOST_TEST(m.matrix.keep_alive != nullptr);
  BOOST_TEST(entries(m) == (std::vector<double>{1, 2, 3, 4}), boost::test_tools::per_element());
  BOOST_TEST(m.matrix.origin == file.path.string());
  // A copy of the matrix keeps the mapping alive after the original is gone.
  const slope::lang::Matrix copy = [&] { return Array(m).matrix; }();
  BOOST_TEST(copy(1, 1) == 4.0);
  // A converted file is copied.
  const TempFile f4("slope_npy_test_f4.npy", npy(kLittle ? "<f4" : ">f4", "(2,)", raw<float>({1, 2})));
  BOOST_TEST(read_npy(f4.path).matrix.values.size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(npy_errors)

BOOST_AUTO_TEST_CASE(not_an_npy_file) {
  BOOST_TEST(error_of("x,y\n1,2\n") ==
             "X.npy: error: not a NumPy .npy file: it does not start with the bytes \\x93NUMPY");
  BOOST_TEST(error_of("") == "X.npy: error: not a NumPy .npy file: it does not start with the bytes \\x93NUMPY");
  BOOST_TEST(error_of(std::string("\x93NUMPY\x01", 7)) == "X.npy: error: the .npy file is cut short inside its preamble");
}

BOOST_AUTO_TEST_CASE(unsupported_versions) {
  std::string bytes = npy(kF8, "(1,)", raw<double>({1}));
  bytes[6] = 4;
  BOOST_TEST(error_of(bytes) == "X.npy: error: unsupported .npy format version 4.0 (1.0, 2.0 and 3.0 are read)");
}

BOOST_AUTO_TEST_CASE(unsupported_element_types) {
  const std::string tail = ": use float64 ('<f8'), float32, an integer type or bool";
  BOOST_TEST(error_of(npy("<c16", "(1,)", std::string(16, '\0'))) == "X.npy: error: element type '<c16' is not supported" + tail);
  BOOST_TEST(error_of(npy("<U3", "(1,)", std::string(12, '\0'))) == "X.npy: error: element type '<U3' is not supported" + tail);
  BOOST_TEST(error_of(npy("<f2", "(1,)", std::string(2, '\0'))) == "X.npy: error: element type '<f2' is not supported" + tail);
  BOOST_TEST(error_of(npy("|O", "(1,)", std::string(8, '\0'))) == "X.npy: error: element type '|O' is not supported" + tail);
  std::string structured = npy(kF8, "(1,)", raw<double>({1}));
  const std::size_t at = structured.find(fmt::format("'{}'", kF8));
  structured.replace(at, 5, "[('a', '<f8')]");
  BOOST_TEST(error_of(structured) == "X.npy: error: structured arrays (a dtype with named fields) are not supported: "
                                     "save one plain array per data name");
}

BOOST_AUTO_TEST_CASE(too_many_dimensions) {
  BOOST_TEST(error_of(npy(kF8, "(2, 1, 1)", raw<double>({1, 2}))) ==
             "X.npy: error: the array has 3 dimensions (shape (2, 1, 1)); a model's data has at most 2");
}

BOOST_AUTO_TEST_CASE(a_file_shorter_or_longer_than_its_shape) {
  BOOST_TEST(error_of(npy(kF8, "(2, 3)", raw<double>({1, 2, 3}))) ==
             fmt::format("X.npy: error: the file is shorter than its header says: shape (2, 3) of '{}' takes 48 bytes "
                         "of data, the file has 24",
                         kF8));
  BOOST_TEST(error_of(npy(kF8, "(1,)", raw<double>({1, 2}))) ==
             fmt::format("X.npy: error: the file is longer than its header says: shape (1,) of '{}' takes 8 bytes of "
                         "data, the file has 16",
                         kF8));
}

BOOST_AUTO_TEST_CASE(malformed_headers) {
  std::string bytes = npy(kF8, "(2,)", raw<double>({1, 2}));
  bytes.replace(bytes.find("'shape'"), 7, "'shapo'");
  BOOST_TEST(error_of(bytes).starts_with("X.npy: error: the .npy header is malformed: unexpected key 'shapo' (header: "
                                         "{'descr': "),
             error_of(bytes));
  std::string no_shape = npy(kF8, "(2,)", raw<double>({1, 2}));
  no_shape.replace(no_shape.find("(2,)"), 4, "[2] ");
  BOOST_TEST(error_of(no_shape).starts_with("X.npy: error: the .npy header is malformed: expected '(' at byte "),
             error_of(no_shape));
  std::string cut = npy(kF8, "(2,)", "");
  cut.resize(30);
  BOOST_TEST(error_of(cut) == "X.npy: error: the .npy file is cut short: its header says 118 bytes, the file has 20 "
                              "after the preamble");
}

BOOST_AUTO_TEST_CASE(every_way_a_header_dict_can_be_malformed) {
  // A version 1.0 file around a header dict written by hand.
  const auto with_dict = [](std::string dict) {
    std::string bytes = "\x93NUMPY\x01";
    bytes += '\0';
    bytes += static_cast<char>(dict.size() & 0xff);
    bytes += static_cast<char>(dict.size() >> 8);
    return error_of(bytes + dict);
  };
  const std::string prefix = "X.npy: error: the .npy header is malformed: ";
  BOOST_TEST(with_dict("{'descr': '<f8', 'fortran_order': False}") == prefix + "no 'shape' (header: {'descr': '<f8', "
                                                                         "'fortran_order': False})");
  BOOST_TEST(with_dict("{'shape': (1,), 'fortran_order': False}") ==
             prefix + "no 'descr' (header: {'shape': (1,), 'fortran_order': False})");
  BOOST_TEST(with_dict("{'descr': '<f8', 'shape': (1,)}") ==
             prefix + "no 'fortran_order' (header: {'descr': '<f8', 'shape': (1,)})");
  BOOST_TEST(with_dict("['descr']") == prefix + "expected '{' at byte 0 of the header (header: ['descr'])");
  BOOST_TEST(with_dict("{descr: 1}") == prefix + "expected a string at byte 1 of the header (header: {descr: 1})");
  BOOST_TEST(with_dict("{'descr': '<f8") == prefix + "a string is not closed (header: {'descr': '<f8)");
  BOOST_TEST(with_dict("{'fortran_order': 0}") ==
             prefix + "fortran_order is neither True nor False (header: {'fortran_order': 0})");
  BOOST_TEST(with_dict("{'shape': (1 2)}") ==
             prefix + "expected ',' or ')' at byte 13 of the header (header: {'shape': (1 2)})");
  BOOST_TEST(with_dict("{'shape': (1, x)}") ==
             prefix + "expected a dimension at byte 14 of the header (header: {'shape': (1, x)})");
  BOOST_TEST(with_dict("{'shape': (99999999999999999999999,)}") ==
             prefix + "a dimension is too large (header: {'shape': (99999999999999999999999,)})");
  const std::string wide = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': (4294967296, 4294967296), }}",
                                       kF8);
  BOOST_TEST(with_dict(wide) == "X.npy: error: the shape (4294967296, 4294967296) is too large");
  // A long header is shortened in the message.
  const std::string long_dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': '" +
                                std::string(100, 'a') + "'}";
  BOOST_TEST(with_dict(long_dict) ==
             prefix + "unexpected key 'x' (header: {'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': '" +
                 std::string(35, 'a') + "...)");
}

BOOST_AUTO_TEST_CASE(an_integer_a_double_cannot_hold) {
  const std::int64_t too_big = (std::int64_t{1} << 53) + 1;
  BOOST_TEST(error_of(npy(kLittle ? "<i8" : ">i8", "(2, 2)", raw<std::int64_t>({0, 1, too_big, 3}))) ==
             fmt::format("X.npy: error: element [1, 0] ('{}') is an integer of magnitude above 2^53, which a double "
                         "cannot hold exactly",
                         kLittle ? "<i8" : ">i8"));
}

BOOST_AUTO_TEST_CASE(missing_file) {
  const std::filesystem::path missing = std::filesystem::temp_directory_path() / "slope_no_such_file.npy";
  try {
    (void)read_npy(missing);
    BOOST_FAIL("no error for a missing file");
  } catch (const DataError& error) {
    BOOST_TEST(error.what() == missing.string() + ": error: cannot open the file: No such file or directory");
  }
}

BOOST_AUTO_TEST_SUITE_END()
