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

struct RowPlan;

/// The first stage of a model split over processes (row_plan.hpp): this process's parts of
/// the reductions over rows, one after the other (plan.reduced_size values), at `theta`.
template <class T>
std::vector<T> evaluate_local_parts(const Program& program, const CheckedModel& model, const std::string& file,
                                    const RowPlan& plan, std::span<const T> theta);
/// The second stage: the objective at `theta` from the parts summed over the processes.
template <class T>
T evaluate_from_parts(const Program& program, const CheckedModel& model, const std::string& file, const RowPlan& plan,
                      std::span<const T> theta, std::span<const T> reduced);

}  // namespace slope::lang::detail
