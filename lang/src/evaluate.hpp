#pragma once
/// \file
/// (internal) Evaluation of a checked model, written once over the scalar type: double for
/// Model::value and for consts, slope::Var for the tape.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <slope/autodiff/var.hpp>

#include "slope/lang/check.hpp"

namespace slope::lang::detail {

/// The value of an expression that uses no params or lets (a const, an initial value), as a
/// flat row-major vector. More than `budget` loop iterations throw CheckError (the model is
/// only being checked; a const that takes that long is a mistake).
std::vector<double> evaluate_fixed(const Program& program, const CheckedModel& model, const std::string& file,
                                   ExprId id, std::uint64_t budget);

/// The objective at `theta` (the flat parameter vector), in doubles.
double evaluate(const Program& program, const CheckedModel& model, const std::string& file,
                std::span<const double> theta);
/// The objective at `theta`, recorded on the thread's active tape. A slope::DomainError
/// becomes an EvaluationError with the span of the expression being evaluated.
Var evaluate(const Program& program, const CheckedModel& model, const std::string& file, std::span<const Var> theta);

}  // namespace slope::lang::detail
