#pragma once
/// \file
/// The JSON data reader, in CmdStan's form: one object whose members are the data by name,
///
///     {"n": 3, "X": [[1, 0.5], [1, -2], [1, 0]], "y": [0, 1, 1]}
///
/// A number is a scalar, an array of numbers a vector, an array of equally long arrays of
/// numbers a matrix (one array per row). As in CmdStan, the strings "NaN", "Inf", "-Inf",
/// "Infinity" and "-Infinity" stand for those numbers. Bind the result with Model::bind_all.

#include <filesystem>
#include <string_view>
#include <vector>

#include "slope/lang/data.hpp"

namespace slope::lang {

/// Reads a JSON data file; the members come back in file order, each matrix's origin naming
/// the member and the file ("X in data.json"). Throws DataError naming the file: at its line
/// and column for text that is not JSON, otherwise with the JSON path of the offending value
/// (counted from 0, as in JSON: "X[2]" is X's third row) and what was expected there: a
/// top level that is not an object, a name given twice, a value that is not a number (or a
/// string above), a row whose length differs from the first row's, arrays nested deeper than
/// a matrix, a number too large for a double.
[[nodiscard]] std::vector<NamedArray> read_json_data(const std::filesystem::path& path);

/// The same for JSON text in memory; `name` is used in messages.
[[nodiscard]] std::vector<NamedArray> parse_json_data(std::string_view text, std::string_view name);

}  // namespace slope::lang
