#include "slope/lang/functions.hpp"

#include <slope/autodiff/ops/all.hpp>

#include <array>

namespace slope::lang {

namespace {

// The reductions come first: find_function returns the first match, and log_sum_exp is both a
// reduction (of a vector) and a rule (of two scalars), which the reduction's row covers.
constexpr std::array kReductions = {
    FunctionInfo{"sum", FunctionKind::Reduction, 1, 1, OpCode::Custom, Reduction::Sum},
    FunctionInfo{"mean", FunctionKind::Reduction, 1, 1, OpCode::Custom, Reduction::Mean},
    FunctionInfo{"dot", FunctionKind::Reduction, 2, 2, OpCode::Custom, Reduction::Dot},
    FunctionInfo{"norm", FunctionKind::Reduction, 1, 1, OpCode::Custom, Reduction::Norm},
    // one vector, or two scalars
    FunctionInfo{"log_sum_exp", FunctionKind::Reduction, 1, 2, op_code<LogSumExp>, Reduction::LogSumExp},
    FunctionInfo{"row_sums", FunctionKind::Reduction, 1, 1, OpCode::Custom, Reduction::RowSums},
    FunctionInfo{"col_sums", FunctionKind::Reduction, 1, 1, OpCode::Custom, Reduction::ColSums},
    FunctionInfo{"row_means", FunctionKind::Reduction, 1, 1, OpCode::Custom, Reduction::RowMeans},
    FunctionInfo{"col_means", FunctionKind::Reduction, 1, 1, OpCode::Custom, Reduction::ColMeans},
    FunctionInfo{"row_log_sum_exp", FunctionKind::Reduction, 1, 1, OpCode::Custom, Reduction::RowLogSumExp},
    FunctionInfo{"softmax", FunctionKind::Reduction, 1, 1, OpCode::Custom, Reduction::Softmax},
    FunctionInfo{"log_softmax", FunctionKind::Reduction, 1, 1, OpCode::Custom, Reduction::LogSoftmax},
};

constexpr FunctionInfo density(std::string_view name, int arguments, Density d) {
  return FunctionInfo{name, FunctionKind::Reduction, arguments, arguments, OpCode::Custom, Reduction::LogDensity, d};
}

// The log densities, as Stan names and orders them (densities.hpp has the formulas).
constexpr std::array kDensities = {
    density("normal_lpdf", 3, Density::Normal),
    density("student_t_lpdf", 4, Density::StudentT),
    density("cauchy_lpdf", 3, Density::Cauchy),
    density("exponential_lpdf", 2, Density::Exponential),
    density("gamma_lpdf", 3, Density::Gamma),
    density("beta_lpdf", 3, Density::Beta),
    density("lognormal_lpdf", 3, Density::Lognormal),
    density("bernoulli_logit_lpmf", 2, Density::BernoulliLogit),
    density("binomial_logit_lpmf", 3, Density::BinomialLogit),
    density("poisson_log_lpmf", 2, Density::PoissonLog),
    density("neg_binomial_2_log_lpmf", 3, Density::NegBinomial2Log),
};

// The language's own names for rules: min and max, as in Stan.
constexpr std::array kAliases = {
    FunctionInfo{"min", FunctionKind::Elementwise, 2, 2, op_code<Fmin>},
    FunctionInfo{"max", FunctionKind::Elementwise, 2, 2, op_code<Fmax>},
};

/// True for a rule the language offers under its own name: one or two arguments (the language
/// has no elementwise form of three, so not fma), and no reduction of that name.
template <class R>
constexpr bool offered() {
  for (const FunctionInfo& r : kReductions) {
    if (r.name == R::name) return false;
  }
  return arity_of<R>() <= 2;
}

constexpr std::size_t count_offered() {
  std::size_t n = 0;
  for_each_rule(FunctionRules{}, [&n]<class R>() { n += offered<R>() ? 1 : 0; });
  return n;
}

// Generated from the one list: a rule added to FunctionRules is a function of the language.
constexpr auto kFunctions = [] {
  std::array<FunctionInfo, kReductions.size() + kDensities.size() + count_offered() + kAliases.size()> table{};
  std::size_t at = 0;
  for (const FunctionInfo& r : kReductions) table[at++] = r;
  for (const FunctionInfo& d : kDensities) table[at++] = d;
  for_each_rule(FunctionRules{}, [&]<class R>() {
    if (offered<R>()) table[at++] = FunctionInfo{R::name, FunctionKind::Elementwise, arity_of<R>(), arity_of<R>(), op_code<R>};
  });
  for (const FunctionInfo& a : kAliases) table[at++] = a;
  return table;
}();

}  // namespace

std::span<const FunctionInfo> functions() noexcept { return kFunctions; }

const FunctionInfo* find_function(std::string_view name) noexcept {
  for (const FunctionInfo& info : kFunctions) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace slope::lang
