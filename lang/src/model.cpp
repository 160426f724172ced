#include "slope/lang/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>

#include "evaluate.hpp"
#include "row_blocks.hpp"
#include "row_plan.hpp"
#include "slope/lang/check.hpp"
#include "slope/lang/errors.hpp"
#include "slope/lang/parser.hpp"

namespace slope::lang {

/// Everything behind a Model. The recorded Function, its workspace and the tape are reused by
/// every value_and_gradient call, which is why a Model must not be evaluated from two threads.
class ModelImpl {
 public:
  ModelImpl(std::string source, std::string file) : source_(std::move(source)), file_(std::move(file)) {
    program_ = parse(source_, file_);
    for (const Statement& statement : program_.statements) {
      if (statement.kind == StatementKind::Data) data_.emplace_back();
    }
  }

  /// The checked model, checking first if anything changed since the last check.
  const CheckedModel& checked() {
    if (!checked_) {
      Bindings bindings = bindings_now();
      checked_ = check(program_, file_, bindings);
    }
    return *checked_;
  }

  [[nodiscard]] Bindings bindings_now() const {
    Bindings bindings;
    for (const auto& matrix : data_) bindings.data.push_back(matrix ? &*matrix : nullptr);
    bindings.constants = constants_;
    return bindings;
  }

  /// "unknown <what> 'name'", with "; did you mean 'x'?" when a declared name of that kind is close.
  [[nodiscard]] CheckError unknown(std::string_view what, std::string_view name, StatementKind kind) const {
    std::vector<std::string> names;
    for (const Statement& statement : program_.statements) {
      if (statement.kind == kind) names.push_back(statement.name);
    }
    const auto hint = closest_name(name, names);
    return CheckError(file_, kNowhere,
                      fmt::format("the model declares no {} named '{}'{}", what, name,
                                  hint ? fmt::format("; did you mean '{}'?", *hint) : std::string()));
  }

  [[nodiscard]] const Statement* find(std::string_view name, StatementKind kind) const {
    for (const Statement& statement : program_.statements) {
      if (statement.kind == kind && statement.name == name) return &statement;
    }
    return nullptr;
  }

  [[nodiscard]] const ParameterInfo& parameter(std::string_view name) {
    for (const ParameterInfo& info : checked().parameters) {
      if (info.name == name) return info;
    }
    throw unknown("param", name, StatementKind::Param);
  }

  void require_size(std::size_t size) {
    const std::size_t expected = checked().initial_point.size();
    if (size != expected) {
      throw CheckError(file_, kNowhere,
                       fmt::format("the model has {} parameter values, but {} were given", expected, size));
    }
  }

  std::string source_;
  std::string file_;
  Program program_;
  std::vector<std::optional<Matrix>> data_;  ///< by data declaration, in source order
  std::map<std::string, double, std::less<>> constants_;
  std::optional<CheckedModel> checked_;
  Tape tape_;  // checked evaluations record here each time, to name the failing operation
  std::vector<Var> inputs_;
  std::optional<slope::Function> function_;  // the objective recorded once, replayed after
  slope::Function::Workspace workspace_;

  // A model split over processes (split_rows): its plan, and the two stages recorded once.
  std::optional<RowSplit> split_;
  std::optional<detail::RowPlan> plan_;
  std::optional<slope::Function> local_;   // theta -> this process's parts of the reductions over rows
  std::optional<slope::Function> global_;  // (theta, summed parts) -> objective
  slope::Function::Workspace global_workspace_;
  std::vector<double> parts_, stage_input_, stage_gradient_, pulled_;

  // A model evaluated by blocks of rows (row_blocks.hpp), made at the first evaluation.
  std::unique_ptr<detail::RowBlocks> blocks_;
  bool blocks_made_ = false;
  std::size_t rows_per_block_ = 0;  // Model::set_rows_per_block
  std::size_t threads_ = 1;
  std::vector<double> weights_;  // the rows of dS/dtheta a block evaluation pulls back
  std::vector<double> summed_;   // the parts and the pulled rows, summed over blocks and processes

  /// Forgets the check and the recorded objective (data or constants changed).
  void invalidate() noexcept {
    checked_.reset();
    function_.reset();
    plan_.reset();
    local_.reset();
    global_.reset();
    blocks_.reset();
    blocks_made_ = false;
  }

  /// The model's blocks of rows (this process's rows, when split), or null where the rows are
  /// evaluated as one. A split model decides from its plan alone, the same on every process.
  detail::RowBlocks* blocks() {
    if (blocks_made_) return blocks_.get();
    const CheckedModel& model = checked();
    blocks_made_ = true;
    if (rows_per_block_ == Model::kNoRowBlocks) return nullptr;
    const std::optional<std::string> dimension = split_ ? std::optional(split_->dimension) : row_dimension(program_);
    if (!dimension) return nullptr;
    const std::optional<std::size_t> rows = dimension_value(*dimension);
    if (!rows) return nullptr;
    detail::RowPlan rows_plan;
    if (split_) {
      rows_plan = plan();
    } else {
      try {
        rows_plan = detail::plan_rows(program_, model, file_, *dimension, *rows);
      } catch (const CheckError&) {
        return nullptr;  // rows that meet other than in sums: evaluated whole
      }
    }
    blocks_ = detail::RowBlocks::make(program_, file_, bindings_now(), std::move(rows_plan), *rows, rows_per_block_,
                                      split_ ? 1 : 2);
    return blocks_.get();
  }

  /// The first data declaration's first dimension, when it has a name.
  static std::optional<std::string> row_dimension(const Program& program) {
    for (const Statement& statement : program.statements) {
      if (statement.kind != StatementKind::Data || statement.dimensions.empty()) continue;
      if (statement.dimensions[0].name.empty()) return std::nullopt;
      return statement.dimensions[0].name;
    }
    return std::nullopt;
  }

  /// The bound size of a named dimension (none if no bound data has it).
  [[nodiscard]] std::optional<std::size_t> dimension_value(std::string_view name) const {
    std::size_t slot = 0;
    for (const Statement& statement : program_.statements) {
      if (statement.kind != StatementKind::Data) continue;
      const std::optional<Matrix>& data = data_[slot++];
      for (std::size_t k = 0; k < statement.dimensions.size(); ++k) {
        if (data && statement.dimensions[k].name == name) return k == 0 ? data->rows : data->cols;
      }
    }
    return std::nullopt;
  }

  const detail::RowPlan& plan() {
    const CheckedModel& model = checked();
    if (!plan_) plan_ = detail::plan_rows(program_, model, file_, split_->dimension, split_->global_rows);
    return *plan_;
  }

  /// split_->all_reduce of `values`; a failure anywhere throws here (this process's own
  /// exception when it is the one that failed).
  void all_reduce(std::span<double> values, const std::exception_ptr& failure) {
    if (split_->all_reduce(values, failure ? 1 : 0) == 0) return;
    if (failure) std::rethrow_exception(failure);
    throw PeerFailure();
  }

  /// Value (and gradient, when not empty) of a split model: this process's parts of the
  /// reductions over rows, their sums over all processes, the objective from the sums, and
  /// the gradient as the objective's own part plus the parts' pullbacks summed over processes.
  /// Records f(theta) on a checked tape, for its errors only: a domain error becomes an
  /// EvaluationError naming the operation and its place.
  template <class F>
  void record_checked_only(std::span<const double> theta, F f) {
    auto recording = tape_.record({.checked = true});
    tape_.clear();
    inputs_.resize(theta.size());
    tape_.inputs(theta, inputs_);
    (void)f(std::span<const Var>(inputs_));
  }

  double split_evaluation(std::span<const double> theta, std::span<double> gradient, bool on_checked_tape = false) {
    if (detail::RowBlocks* row_blocks = blocks(); row_blocks != nullptr && !gradient.empty()) {
      return blocked_evaluation(*row_blocks, theta, gradient, on_checked_tape);
    }
    const std::size_t p = theta.size();
    const detail::RowPlan& rows = plan();  // made by split_rows: the same on every process
    const CheckedModel& model = checked();
    std::exception_ptr failure;
    try {  // every process reaches the sum below, failed or not, so that none waits forever
      parts_.resize(rows.reduced_size);
      if (on_checked_tape) {  // this process's rows, on a checked tape: a NaN in them is named here
        record_checked_only(theta, [&](std::span<const Var> x) {
          return detail::evaluate_local_parts<Var>(program_, model, file_, rows, x);
        });
      }
      if (gradient.empty()) {
        parts_ = detail::evaluate_local_parts<double>(program_, model, file_, rows, theta);
      } else if (rows.reduced_size > 0) {
        auto local = [&](std::span<const Var> x) {
          return detail::evaluate_local_parts<Var>(program_, model, file_, rows, x);
        };
        if (!local_) local_ = slope::Function::record(local, theta);
        if (local_->evaluate_for_vjp(theta, parts_, workspace_) != ReplayStatus::Ok) {
          local_ = slope::Function::record(local, theta);  // a comparison flipped: record again
          (void)local_->evaluate_for_vjp(theta, parts_, workspace_);
        }
      }
    } catch (...) {
      failure = std::current_exception();
      parts_.assign(rows.reduced_size, 0.0);
    }
    all_reduce(parts_, failure);
    if (gradient.empty()) {
      return detail::evaluate_from_parts<double>(program_, model, file_, rows, theta, parts_);
    }
    const double value = objective_from_parts(theta, rows, on_checked_tape);  // the same on every process
    pulled_.resize(p);
    if (rows.reduced_size > 0) {
      local_->vector_jacobian_product(std::span<const double>(stage_gradient_).subspan(p), pulled_, workspace_);
    } else {
      std::fill(pulled_.begin(), pulled_.end(), 0.0);
    }
    all_reduce(pulled_, nullptr);
    for (std::size_t j = 0; j < p; ++j) gradient[j] = stage_gradient_[j] + pulled_[j];
    return value;
  }

  /// The objective G(theta, S) from the summed parts S (parts_) of the reductions over rows;
  /// leaves dG/dtheta, then dG/dS, in stage_gradient_.
  double objective_from_parts(std::span<const double> theta, const detail::RowPlan& rows, bool on_checked_tape) {
    const CheckedModel& model = checked();
    const std::size_t p = theta.size();
    stage_input_.assign(theta.begin(), theta.end());
    stage_input_.insert(stage_input_.end(), parts_.begin(), parts_.end());
    auto objective = [&](std::span<const Var> x) {
      return detail::evaluate_from_parts<Var>(program_, model, file_, rows, x.first(p), x.subspan(p));
    };
    stage_gradient_.resize(stage_input_.size());
    if (on_checked_tape) record_checked_only(stage_input_, objective);
    if (!global_) global_ = slope::Function::record(objective, stage_input_);
    slope::Evaluation e = global_->value_and_gradient(stage_input_, stage_gradient_, global_workspace_);
    if (!e.ok()) {  // a comparison flipped: record again
      global_ = slope::Function::record(objective, stage_input_);
      e = global_->value_and_gradient(stage_input_, stage_gradient_, global_workspace_);
    }
    return e.value;
  }

  /// Value and gradient block by block (row_blocks.hpp): the parts S summed over the blocks
  /// with their pullbacks (and over the processes, in one sum, for a split model), then
  /// G(theta, S) and the gradient dG/dtheta + J^T dG/dS. `on_checked_tape` as split_evaluation.
  double blocked_evaluation(detail::RowBlocks& blocks, std::span<const double> theta, std::span<double> gradient,
                            bool on_checked_tape = false) {
    const detail::RowPlan& rows = blocks.plan();
    const std::size_t p = theta.size();
    const std::size_t r = rows.reduced_size;
    if (rows.affine) {  // dG/dS does not depend on S: taken at the last sums, one sweep per block
      parts_.resize(r);  // the last sums are the same on every process
      if (!std::all_of(parts_.begin(), parts_.end(), [](double v) { return std::isfinite(v); })) {
        std::fill(parts_.begin(), parts_.end(), 0.0);
      }
      (void)objective_from_parts(theta, rows, false);
      weights_.assign(stage_gradient_.begin() + static_cast<std::ptrdiff_t>(p), stage_gradient_.end());
    } else {  // a sweep per part: the rows of the Jacobian
      weights_.assign(r * r, 0.0);
      for (std::size_t k = 0; k < r; ++k) weights_[k * r + k] = 1.0;
    }
    const std::size_t pulled_rows = weights_.size() / r;
    summed_.assign(r + pulled_rows * p, 0.0);  // the parts, then the pulled rows: one sum over processes
    std::exception_ptr failure;
    try {  // every process reaches the sum below, failed or not, so that none waits forever
      // on_checked_tape: each block's rows are recorded on a checked tape first, so an error
      // in them is named
      blocks.evaluate(theta, std::span<double>(summed_).first(r), weights_, std::span<double>(summed_).subspan(r),
                      threads_, on_checked_tape);
    } catch (...) {
      if (!split_) throw;
      failure = std::current_exception();
      std::fill(summed_.begin(), summed_.end(), 0.0);
    }
    if (split_) all_reduce(summed_, failure);
    parts_.assign(summed_.begin(), summed_.begin() + static_cast<std::ptrdiff_t>(r));
    const double value = objective_from_parts(theta, rows, on_checked_tape);
    const double* pulled = summed_.data() + r;
    for (std::size_t j = 0; j < p; ++j) gradient[j] = stage_gradient_[j];
    for (std::size_t k = 0; k < pulled_rows; ++k) {
      const double weight = rows.affine ? 1.0 : stage_gradient_[p + k];  // affine: pulled by dG/dS already
      if (weight == 0.0) continue;
      for (std::size_t j = 0; j < p; ++j) gradient[j] += weight * pulled[k * p + j];
    }
    return value;
  }

  /// Value and gradient by recording on tape_ in checked mode: a domain error names the
  /// operation and its source span.
  double record_checked(std::span<const double> theta, std::span<double> gradient) {
    // Blocks check their rows one block at a time: a tape of the whole data would cost its size
    if (detail::RowBlocks* row_blocks = blocks()) return blocked_evaluation(*row_blocks, theta, gradient, true);
    const CheckedModel& model = checked();
    auto recording = tape_.record({.checked = true});
    tape_.clear();  // keeps the memory: after the first call, recording reuses it
    inputs_.resize(theta.size());
    tape_.inputs(theta, inputs_);
    const Var y = detail::evaluate(program_, model, file_, std::span<const Var>(inputs_));
    tape_.backward(y);
    tape_.adjoints(inputs_, gradient);
    return y.value();
  }

  /// Records the objective into function_ at theta. Every operation of the language is one a
  /// Function replays, and the data are referenced, not copied, whatever their size.
  void record_function(std::span<const double> theta) {
    const CheckedModel& model = checked();
    function_.reset();  // the old program's memory goes before the new one is recorded
    function_ = slope::Function::record(
        [&](std::span<const Var> x) { return detail::evaluate(program_, model, file_, x); }, theta);
  }

  /// Value and gradient by replaying the recorded objective, recording it first (again when a
  /// comparison in the model would now take the other branch).
  double replay(std::span<const double> theta, std::span<double> gradient) {
    if (detail::RowBlocks* row_blocks = blocks()) return blocked_evaluation(*row_blocks, theta, gradient);
    if (!function_) record_function(theta);
    slope::Evaluation e = function_->value_and_gradient(theta, gradient, workspace_);
    if (e.ok()) return e.value;
    record_function(theta);
    e = function_->value_and_gradient(theta, gradient, workspace_);
    return e.value;
  }
};

std::string component_name(const ParameterInfo& param, std::size_t index) {
  if (param.shape.rank == 0) return param.name;
  if (param.shape.rank == 1) return fmt::format("{}[{}]", param.name, index + 1);
  return fmt::format("{}[{},{}]", param.name, index / param.shape.cols + 1, index % param.shape.cols + 1);
}

Model::Model(std::unique_ptr<ModelImpl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

Model Model::parse(std::string_view source, std::string file) {
  return Model(std::make_unique<ModelImpl>(std::string(source), std::move(file)));
}

Model Model::load(const std::filesystem::path& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) throw Error(path.string(), kNowhere, "cannot read the model file: it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string(), kNowhere, "cannot open the model file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(path.string(), kNowhere, "cannot read the model file");
  return parse(text.str(), path.string());
}

const std::string& Model::source() const noexcept { return impl_->source_; }
const std::string& Model::file() const noexcept { return impl_->file_; }

std::vector<DataDeclaration> Model::data_declarations() const {
  std::vector<DataDeclaration> out;
  for (const Statement& statement : impl_->program_.statements) {
    if (statement.kind != StatementKind::Data) continue;
    DataDeclaration declaration{statement.name, static_cast<int>(statement.dimensions.size()), {}, statement.span};
    for (const Dimension& dim : statement.dimensions) {
      declaration.dimensions.push_back(dim.name.empty() ? fmt::format("{}", dim.literal) : dim.name);
    }
    out.push_back(std::move(declaration));
  }
  return out;
}

std::vector<std::pair<std::string, NameKind>> Model::declared_names() const {
  std::vector<std::pair<std::string, NameKind>> out;
  const auto listed = [&](const std::string& name) {
    return std::any_of(out.begin(), out.end(), [&](const auto& entry) { return entry.first == name; });
  };
  for (const Statement& statement : impl_->program_.statements) {
    switch (statement.kind) {
      case StatementKind::Data:
        out.emplace_back(statement.name, NameKind::Data);
        for (const Dimension& dim : statement.dimensions) {
          // A name declared elsewhere (a const) stays what it is; the checker says so if not.
          if (!dim.name.empty() && !listed(dim.name) && impl_->find(dim.name, StatementKind::Const) == nullptr) {
            out.emplace_back(dim.name, NameKind::Dimension);
          }
        }
        break;
      case StatementKind::Const: out.emplace_back(statement.name, NameKind::Const); break;
      case StatementKind::Param: out.emplace_back(statement.name, NameKind::Param); break;
      case StatementKind::Let: out.emplace_back(statement.name, NameKind::Let); break;
      case StatementKind::Objective: break;
    }
  }
  return out;
}

std::optional<std::size_t> Model::dimension(std::string_view name) const { return impl_->dimension_value(name); }

void Model::bind_data(std::string_view name, Matrix data) {
  std::size_t slot = 0;
  const Statement* declaration = nullptr;
  for (const Statement& statement : impl_->program_.statements) {
    if (statement.kind != StatementKind::Data) continue;
    if (statement.name == name) {
      declaration = &statement;
      break;
    }
    ++slot;
  }
  if (declaration == nullptr) {
    throw impl_->unknown("data", name, StatementKind::Data);
  }
  // Check with the new binding before keeping it, so that a rejected binding changes nothing.
  std::optional<Matrix> previous = std::move(impl_->data_[slot]);
  impl_->data_[slot] = std::move(data);
  try {
    check_data_shapes(impl_->program_, impl_->file_, impl_->bindings_now());
  } catch (...) {
    impl_->data_[slot] = std::move(previous);
    throw;
  }
  impl_->invalidate();
}

void Model::set_constant(std::string_view name, double value) {
  const Statement* statement = impl_->find(name, StatementKind::Const);
  if (statement == nullptr) {
    throw impl_->unknown("const", name, StatementKind::Const);
  }
  if (impl_->program_[statement->value].kind == ExprKind::Vector) {
    throw CheckError(impl_->file_, statement->name_span.begin,
                     fmt::format("const '{}' is a vector; only a scalar const can be set", name));
  }
  impl_->constants_.insert_or_assign(std::string(name), value);
  impl_->invalidate();
}

void Model::check() { (void)impl_->checked(); }

Sense Model::sense() const {
  for (const Statement& statement : impl_->program_.statements) {
    if (statement.kind == StatementKind::Objective) return statement.sense;
  }
  return impl_->checked().sense;  // throws the missing-objective CheckError
}

std::vector<ParameterInfo> Model::parameters() const { return impl_->checked().parameters; }
std::size_t Model::parameter_count() const { return impl_->checked().initial_point.size(); }
std::vector<double> Model::initial_point() const { return impl_->checked().initial_point; }

Bounds Model::bounds() const {
  const CheckedModel& model = impl_->checked();
  Bounds out{model.lower, model.upper};
  if (out.unbounded()) return {};
  return out;
}

void Model::set_parameter(std::span<double> theta, std::string_view name, std::span<const double> values) const {
  const ParameterInfo& info = impl_->parameter(name);
  if (values.size() != info.shape.size()) {
    throw CheckError(impl_->file_, kNowhere,
                     fmt::format("param '{}' has shape {} ({} value{}), but {} value{} given", name,
                                 describe(info.shape), info.shape.size(), info.shape.size() == 1 ? "" : "s",
                                 values.size(), values.size() == 1 ? " was" : "s were"));
  }
  impl_->require_size(theta.size());
  std::copy(values.begin(), values.end(), theta.begin() + static_cast<std::ptrdiff_t>(info.offset));
}

std::vector<double> Model::parameter_values(std::span<const double> theta, std::string_view name) const {
  const ParameterInfo& info = impl_->parameter(name);
  impl_->require_size(theta.size());
  const auto values = theta.subspan(info.offset, info.shape.size());
  return {values.begin(), values.end()};
}

double Model::value(std::span<const double> theta) const {
  impl_->require_size(theta.size());
  if (impl_->split_) return impl_->split_evaluation(theta, {});
  return detail::evaluate(impl_->program_, impl_->checked(), impl_->file_, theta);
}

std::optional<std::string> Model::row_dimension() const { return ModelImpl::row_dimension(impl_->program_); }

void Model::split_rows(RowSplit split) {
  if (!split.all_reduce) throw CheckError(impl_->file_, kNowhere, "split_rows needs an all_reduce function");
  impl_->split_ = std::move(split);
  impl_->invalidate();
  (void)impl_->plan();  // refuse a model that cannot be split now, not at its first evaluation
}

Var Model::value(std::span<const Var> theta) const {
  impl_->require_size(theta.size());
  return detail::evaluate(impl_->program_, impl_->checked(), impl_->file_, theta);
}

void Model::set_threads(std::size_t threads) {
  impl_->workspace_.set_threads(threads);
  impl_->threads_ = threads;
}

void Model::set_rows_per_block(std::size_t rows) {
  impl_->rows_per_block_ = rows;
  impl_->blocks_.reset();
  impl_->blocks_made_ = false;
}

std::size_t Model::row_blocks() const {
  const detail::RowBlocks* blocks = impl_->blocks();
  return blocks != nullptr ? blocks->blocks() : 0;
}
std::size_t Model::threads() const noexcept { return impl_->workspace_.threads(); }

double Model::value_and_gradient(std::span<const double> theta, std::span<double> gradient, bool checked) const {
  impl_->require_size(theta.size());
  if (gradient.size() != theta.size()) {
    throw CheckError(impl_->file_, kNowhere,
                     fmt::format("the gradient has {} entries for {} parameter values", gradient.size(), theta.size()));
  }
  if (impl_->split_) {
    if (gradient.empty()) return impl_->split_evaluation(theta, {});  // no parameters: the value
    return impl_->split_evaluation(theta, gradient, checked);  // a split model records and replays its stages
  }
  if (checked) return impl_->record_checked(theta, gradient);
  return impl_->replay(theta, gradient);
}

}  // namespace slope::lang
