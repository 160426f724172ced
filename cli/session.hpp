#pragma once
/// \file
/// What every subcommand does first: read the model, bind its data, set its constants, check
/// it, and find the point to start from.

#include <span>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "processes.hpp"
#include "slope/lang/model.hpp"

namespace slope::cli {

/// The text of the model file; throws UsageError when it cannot be read.
[[nodiscard]] std::string read_model_text(const std::filesystem::path& path);

/// Parses `source` (the text of arguments.model), binds every --data (CSV, .npy, or every value
/// of a JSON file: its data, then its consts and dimensions), applies every --set (after the
/// JSON files, so the command line wins) and checks the model. Each data name is bound from the
/// last --data that gives it. Throws lang::Error (render it with `source`) or UsageError: a
/// --data for a name the model does not declare, or a declared data name left without --data.
///
/// Over several processes (mpirun), each reads only its block of the rows of the data whose
/// first dimension is the model's row dimension (or its own file, for a path with "{rank}"),
/// every process learns whether any failed (and stops if so), and the model is split over them
/// (lang::Model::split_rows).
[[nodiscard]] lang::Model load_model(const Arguments& arguments, const std::string& source,
                                     const Processes& processes);

/// The initial values of the params, with the --at values written over them.
[[nodiscard]] std::vector<double> starting_point(const lang::Model& model, const Arguments& arguments);

/// Evaluates the objective and its gradient once on a checked tape, so that a domain error at
/// the starting point (log of a negative, ...) is an EvaluationError naming the operation
/// and its place in the model, not a NaN the optimizer meets later. Returns the value.
double evaluate_checked(const lang::Model& model, std::span<const double> theta, std::span<double> gradient);

}  // namespace slope::cli
