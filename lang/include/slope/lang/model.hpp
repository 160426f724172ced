#pragma once
/// \file
/// slope::lang::Model: a .slope objective parsed, checked against its data, and evaluated on
/// the tape, ready for slope::minimize / slope::maximize.
///
///     auto model = slope::lang::Model::load("logistic.slope");
///     model.bind_data("X", slope::lang::read_csv("data.csv", "1-20"));
///     model.bind_data("y", slope::lang::read_csv("data.csv", "label"));
///     model.set_constant("lambda", 0.1);
///     slope::Result r = slope::optimize(model.objective(), model.initial_point(), model.sense());
///     std::vector<double> w = model.parameter_values(r.x, "w");

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "slope/optim/bounds.hpp"

#include "slope/autodiff/var.hpp"
#include "slope/lang/data.hpp"
#include "slope/lang/source.hpp"
#include "slope/optim/result.hpp"

namespace slope::lang {

/// Scalar (rank 0), vector [rows] (rank 1) or matrix [rows, cols] (rank 2).
struct Shape {
  int rank = 0;
  std::size_t rows = 1;
  std::size_t cols = 1;
  [[nodiscard]] std::size_t size() const noexcept { return rows * cols; }
  friend bool operator==(const Shape&, const Shape&) = default;
};

/// A `data NAME[dims]` declaration: its name, rank and the dimension names or literals as
/// written ("n", "d", "3").
struct DataDeclaration {
  std::string name;
  int rank = 0;
  std::vector<std::string> dimensions;
  SourceSpan span;
};

/// A `param`: where its values sit in the flat parameter vector (row-major for matrices).
struct ParameterInfo {
  std::string name;
  Shape shape;
  std::size_t offset = 0;
  std::string bounds;  ///< its bounds as written, "(0, inf)", "[0, 1]"; empty when it has none
};

/// How messages and tables name value `index` (row-major, from 0) of a param: "b", "w[3]",
/// "W[2,1]" (1-based, as the language indexes).
[[nodiscard]] std::string component_name(const ParameterInfo& param, std::size_t index);

/// What a name declared in a model is.
enum class NameKind { Data, Dimension, Const, Param, Let };

class ModelImpl;

/// How the data rows of a model are split over processes (MPI ranks): this process has bound
/// its own block of the rows of every data whose first dimension is `dimension`, and
/// `all_reduce` connects it to the others. See docs/mpi.md.
struct RowSplit {
  std::string dimension;     ///< the row dimension ("n"); see Model::row_dimension
  std::size_t global_rows = 0;  ///< its value over all processes
  /// Replaces `values` by their sum over all processes, the same bits on every process (a fixed
  /// order), and returns the largest `status` any process passed (0: this process is fine, 1:
  /// it failed and will throw). Every process calls it the same number of times, in the same
  /// order, with the same number of values.
  std::function<int(std::span<double> values, int status)> all_reduce;
};

/// A parsed objective. Bind data and constants, then evaluate or optimize it; the first
/// evaluation (or check()) resolves names, shapes and dimensions and throws CheckError if the
/// model does not make sense with the bound data.
class Model {
 public:
  /// Parses `source`; `file` names it in messages. Throws SyntaxError.
  static Model parse(std::string_view source, std::string file = "<input>");
  /// Reads and parses a file. Throws Error (naming the file) when it cannot be read.
  static Model load(const std::filesystem::path& path);

  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  /// The source text, for render().
  [[nodiscard]] const std::string& source() const noexcept;
  [[nodiscard]] const std::string& file() const noexcept;

  /// The data declarations in source order.
  [[nodiscard]] std::vector<DataDeclaration> data_declarations() const;
  /// Binds a `data` name (a vector takes a Matrix with one column). Dimension names are bound
  /// from the shape; a disagreement with an earlier binding is a CheckError naming both
  /// shapes and the data's origin. Throws CheckError for a name that is not declared as data.
  /// A Matrix::view is bound without a copy: its values must outlive the model's evaluations.
  void bind_data(std::string_view name, Matrix data);
  /// Binds a value read from a file that records its rank (read_npy, read_json_data): as
  /// bind_data(name, Matrix), after checking the rank against the declaration (a vector also
  /// takes a matrix of one column). A scalar, vector or matrix where the declaration wants
  /// another is a CheckError at the declaration naming what the data is and where it is from.
  void bind_data(std::string_view name, Array data);
  /// Binds every value of a data file that names its values (a JSON file, as CmdStan's): a
  /// data name is bound as above, a const is set (it takes a number), and a dimension name that
  /// data determine must equal what the data bound by then give it (bind other files first).
  /// Data are bound before consts and dimensions are looked at. A param, a let or a name the
  /// model does not declare is a DataError naming `file` and the name.
  void bind_all(std::vector<NamedArray> values, std::string_view file);
  /// Overrides a `const` (the --set flag). Throws CheckError for an unknown name or a name
  /// that is not a scalar const.
  void set_constant(std::string_view name, double value);

  /// Every name the model declares, with what it is, in source order; a dimension name that
  /// data declarations introduce (the n of `data X[n, d]`) is listed where it first appears.
  [[nodiscard]] std::vector<std::pair<std::string, NameKind>> declared_names() const;
  /// The value of a dimension name as the data bound so far give it; nullopt when no bound
  /// data declaration names it.
  [[nodiscard]] std::optional<std::size_t> dimension(std::string_view name) const;

  /// Resolves names, shapes and dimensions; throws CheckError. Idempotent; bind_data and
  /// set_constant after it make the next call check again.
  void check();

  /// The sense the model names (`minimize` or `maximize`).
  [[nodiscard]] Sense sense() const;
  /// The params in source order, with their offsets in the flat parameter vector.
  [[nodiscard]] std::vector<ParameterInfo> parameters() const;
  /// Length of the flat parameter vector.
  [[nodiscard]] std::size_t parameter_count() const;
  /// The initial values from the `param` declarations.
  [[nodiscard]] std::vector<double> initial_point() const;
  /// The bounds of every parameter value in theta's order (`param sigma > 0`, `param p in [0, 1]`,
  /// `param w[d] >= 0`), for slope::optimize; both vectors empty when no param is bounded.
  [[nodiscard]] Bounds bounds() const;
  /// Writes `values` into the part of `theta` that belongs to param `name` (the --at flag);
  /// throws CheckError for an unknown name or a length that does not match.
  void set_parameter(std::span<double> theta, std::string_view name, std::span<const double> values) const;
  /// The values of param `name` inside `theta`.
  [[nodiscard]] std::vector<double> parameter_values(std::span<const double> theta, std::string_view name) const;

  /// The name of the row dimension: the first dimension of the first data declaration with
  /// one (the n of `data X[n, d]`), or nullopt when it is a number or there is no data.
  [[nodiscard]] std::optional<std::string> row_dimension() const;
  /// Splits the rows over processes: from now on every process evaluates its own rows and the
  /// reductions over rows (sum, mean, dot, log densities, col_sums, X' * r, index sums over
  /// 1:n) are summed over the processes with split.all_reduce; value and gradient are those of
  /// all the rows, the same bits on every process. Every process must make the same calls
  /// (value_and_gradient, value) at the same points. Throws CheckError, at the place, for a
  /// model whose rows interact in another way (a row read by number, pairs of rows, x - mean(x)),
  /// or whose consts or initial values use the split rows.
  void split_rows(RowSplit split);

  /// The evaluation functions below throw CheckError (no line and column: it is about the
  /// call) when theta does not have parameter_count() values.
  ///
  /// The objective as written (not negated for maximize) at theta, in plain doubles.
  [[nodiscard]] double value(std::span<const double> theta) const;
  /// The objective recorded on the thread's active tape. On a checked tape a failing
  /// operation throws EvaluationError naming the operation and its source span.
  [[nodiscard]] Var value(std::span<const Var> theta) const;
  /// Value and gradient of the objective as written. The first call records the objective
  /// into a slope::Function (compiled: dead code dropped, sums and products with data one
  /// vector instruction each, which references the bound data, never copies it) that later
  /// calls replay at the new theta, recording again when a comparison in the model would now
  /// decide the other way, or after bind_data / set_constant: one path for every data size.
  /// With `checked`, the call records on a checked tape instead and throws
  /// EvaluationError naming the operation and its source span on a domain error (a split model
  /// records both its stages on a checked tape first; an error in one process's rows is thrown
  /// there, and PeerFailure on the others).
  /// A Model is not thread-safe: evaluate each one from one thread at a time (const methods
  /// included, since they may check, record and replay).
  double value_and_gradient(std::span<const double> theta, std::span<double> gradient, bool checked = false) const;

  /// Replays with `threads` threads (0: one per core; 1, the default: the calling thread only):
  /// the operations over data rows are split between them (blocks of rows, see
  /// set_rows_per_block, or slope::Function::Workspace::set_threads). The value and gradient
  /// have the same bits for every thread count.
  void set_threads(std::size_t threads);
  /// The thread count set.
  [[nodiscard]] std::size_t threads() const noexcept;

  /// How value_and_gradient evaluates a model whose objective sums over its data rows (the
  /// reductions over rows of split_rows): block by block, each block's rows read once per
  /// evaluation while they are in cache, the blocks spread over the threads. `rows` rows per
  /// block; 0 (the default) sizes blocks to about 128 KiB of data and uses them from two blocks
  /// on; kNoRowBlocks evaluates the rows as one (as a model whose rows do not split, or whose
  /// objective has more than a few reductions over rows, always is). Blocks change the order
  /// of the sums over rows, so the last bits of the results depend on it (not on the threads).
  void set_rows_per_block(std::size_t rows);
  static constexpr std::size_t kNoRowBlocks = static_cast<std::size_t>(-1);
  /// The number of blocks value_and_gradient evaluates the rows by (0: as one), deciding it now
  /// if no evaluation has.
  [[nodiscard]] std::size_t row_blocks() const;

  /// An objective for slope::optimize / minimize / maximize that refers to this model (which
  /// must outlive it). Pass model.sense() to optimize.
  [[nodiscard]] auto objective() const {
    return [this](std::span<const double> theta, std::span<double> gradient) {
      return value_and_gradient(theta, gradient);
    };
  }

 private:
  explicit Model(std::unique_ptr<ModelImpl> impl);
  std::unique_ptr<ModelImpl> impl_;
};

}  // namespace slope::lang
