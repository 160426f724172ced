#pragma once
/// \file
/// slope::Function: a function recorded once and evaluated, differentiated (gradient,
/// Jacobian, Hessian-vector products) at any input without recording again, like CppAD's
/// ADFun or CasADi's Function.
///
///     slope::Function f = slope::Function::record(
///         [](std::span<const slope::Var> x) { return x[0] * x[0] * sin(x[1]); }, {1.0, 2.0});
///     std::vector<double> grad(2);
///     slope::Evaluation e = f.value_and_gradient(std::vector<double>{3.0, -1.0}, grad);
///     if (e.status == slope::ReplayStatus::BranchChanged) f = slope::Function::record(...);
///
/// Recording runs f once on Vars with every operation kept (no statement folding) together
/// with its operands, constants included, and the outcome of every comparison of an active Var
/// (and of floor/ceil/round/trunc). The recording is then compiled into a flat instruction
/// list: operations no output depends on are dropped, operations on constants only were already
/// evaluated once while recording, and chains of additions, subtractions and products with
/// constants become one linear combination each (evaluated in the recorded order, so values
/// are unchanged bit for bit; gradients may differ in the last bits from summation order).
/// Within short windows the instructions are grouped by dependency level and operation, so that
/// the replay runs stretches of equal, independent instructions. An evaluation replays them
/// forward with the same derivative rules as a live tape (a `switch` over OpCode, once per
/// stretch), then sweeps backward.
///
/// Control flow: the Function describes f along the path taken while recording. When an
/// evaluation at another input would decide a recorded comparison differently, it still
/// computes the recorded path but returns ReplayStatus::BranchChanged: its numbers are then
/// not f's. Record again at that input to follow the new path. (At an exact tie, a comparison
/// recorded by `<`, `<=`, `>` or `>=` reports a change even if its boolean would agree.)
///
/// Vector operations (vector.hpp): the linear ones (sum, mean, dot with a passive vector,
/// matvec and vecmat) are vector instructions, one step each, computed with the same loops as
/// the tape's vector nodes (so with the same bits). A matrix given as a ConstMatrixView is
/// referenced, not copied, exactly as on the tape: it must stay alive and unchanged as long as
/// the Function is evaluated (a passive span given to dot is copied once: it may be a
/// temporary). Elementwise operations, products of two active vectors and matmul record one
/// scalar instruction per element, which the replay runs as stretches of the same rule.
/// Hessian-vector products cover all of them.
///
/// Not replayable, refused with slope::TapeError while recording: external_op, custom_op and
/// user-defined rules (OpCode::Custom), whose derivatives are opaque code or numbers.
///
/// Threads: a Function is immutable once recorded; any number of threads may evaluate the same
/// Function at once, each with its own Workspace (no lock anywhere). The overloads without a
/// Workspace use one per thread (thread_local).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "slope/autodiff/gradient.hpp"
#include "slope/autodiff/math.hpp"
#include "slope/autodiff/recording.hpp"
#include "slope/autodiff/tape.hpp"
#include "slope/autodiff/var.hpp"

namespace slope {

/// Whether an evaluation of a Function followed the recorded control flow.
enum class ReplayStatus : std::uint8_t {
  Ok,             ///< every recorded decision came out the same: the results are f's
  BranchChanged,  ///< a recorded comparison (or rounding) came out differently: the results
                  ///< are those of the recorded path, not f's; record again at this input
};

/// The value of a scalar Function at a point, and whether the recorded path still holds.
struct Evaluation {
  double value = 0.0;
  ReplayStatus status = ReplayStatus::Ok;
  /// True when the recorded control flow held (status Ok).
  [[nodiscard]] bool ok() const noexcept { return status == ReplayStatus::Ok; }
};

/// What Function::record kept and dropped.
struct FunctionStats {
  std::size_t inputs = 0;
  std::size_t outputs = 0;
  std::size_t recorded = 0;   ///< operations recorded on active Vars
  std::size_t kept = 0;       ///< instructions of the compiled function
  std::size_t dead = 0;       ///< recorded operations no output or decision depends on: dropped
  std::size_t precomputed = 0;  ///< operations on constants only: evaluated once while recording
  std::size_t merged = 0;     ///< additions, subtractions and products with a constant merged
                              ///< into linear combinations (one instruction, constant partials)
  std::size_t shared = 0;     ///< operations equal to an earlier one (same operation on the same
                              ///< operands): computed once, their results shared
  std::size_t constants = 0;  ///< distinct constant operands stored
  std::size_t decisions = 0;     ///< decisions re-checked on every evaluation
  std::size_t vector_operations = 0;  ///< vector operations, one instruction each: linear maps
                                      ///< (sum, mean, dot with a passive vector, matvec, vecmat),
                                      ///< their matrices referenced as the tape's vector nodes
                                      ///< do, never copied; and products of Var matrices (matmul,
                                      ///< dot of two Var vectors, squared_norm)
  std::size_t split_runs = 0;  ///< stretches of independent instructions long enough that a
                               ///< workspace with threads splits them (Workspace::set_threads)
  std::size_t edges = 0;      ///< partial derivatives computed per gradient
};

namespace detail {
struct Program;
struct WorkspaceData;  // a Workspace's buffers (function.cpp)
}  // namespace detail

/// A function of n inputs and m outputs, recorded once and replayed at any input.
/// Cheap to copy (copies share the immutable compiled program).
class Function {
 public:
  /// Per-thread evaluation state (values, partials, adjoints). Reusing one across calls makes
  /// evaluations allocation-free; one Workspace must not be used by two threads at once.
  class Workspace {
   public:
    Workspace();
    ~Workspace();
    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;
    /// A copy has buffers of its own (laid out the same way) and threads of its own.
    Workspace(const Workspace& other);
    Workspace& operator=(const Workspace& other);

    /// Evaluations with this workspace split long stretches of the replay (thousands of
    /// elementwise operations, matrix-vector products over many rows) over `threads` threads:
    /// the calling thread and threads - 1 workers the workspace starts and keeps (0: one per
    /// core). Gradients and Hessian-vector products get the same bits for every thread count:
    /// the work is split so that no sum changes its order. Default 1.
    void set_threads(std::size_t threads);
    /// The thread count set (1 by default).
    [[nodiscard]] std::size_t threads() const noexcept;

   private:
    friend class Function;
    std::unique_ptr<detail::WorkspaceData> data_;  // allocated by its first evaluation
  };

  /// Records f at x0. `f` takes the inputs as Vars (std::span<const Var> or
  /// const std::vector<Var>&) and returns a Var (or a number), or a range of Vars for a
  /// vector-valued function. Throws TapeError for an operation that cannot be replayed.
  template <VarFunction F>
  [[nodiscard]] static Function record(F&& f, std::span<const double> x0) {
    // The recording itself is compiled once in the library; f reaches it through one pointer.
    auto body = [&f](const std::vector<Var>& x, std::vector<Var>& outputs) {
      decltype(auto) y = detail::call_with_vars(f, x);
      using Y = std::remove_cvref_t<decltype(y)>;
      if constexpr (std::is_convertible_v<Y, Var>) {
        outputs.emplace_back(y);
      } else {
        outputs.assign(std::begin(y), std::end(y));
      }
    };
    return record_outputs(x0, &body, [](void* b, const std::vector<Var>& x, std::vector<Var>& outputs) {
      (*static_cast<decltype(body)*>(b))(x, outputs);
    });
  }
  /// \overload for a braced list or a vector.
  template <VarFunction F>
  [[nodiscard]] static Function record(F&& f, const std::vector<double>& x0) {
    return record(f, std::span<const double>(x0));
  }

  /// Number of inputs.
  [[nodiscard]] std::size_t inputs() const noexcept;
  /// Number of outputs.
  [[nodiscard]] std::size_t outputs() const noexcept;
  /// What recording kept, dropped and precomputed.
  [[nodiscard]] const FunctionStats& stats() const noexcept;
  /// A workspace laid out for this function.
  [[nodiscard]] Workspace workspace() const;
  /// Keeps one copy of the compiled arrays (instructions, operand slots, coefficients) that
  /// this function has equal to `other`'s. For many functions recorded by one piece of code
  /// over data of one shape (a model's blocks of rows): their programs differ only in the
  /// data they reference, and each would otherwise cost memory in proportion to its rows.
  /// Nothing else changes: results are the same bits. Returns whether the instructions are
  /// now shared (false: the two functions have different shapes).
  bool share_memory_with(const Function& other);

  /// Writes every output at x into `y` (m values).
  [[nodiscard]] ReplayStatus evaluate(std::span<const double> x, std::span<double> y, Workspace& ws) const;
  /// Writes every output at x into `y` and keeps what a reverse sweep needs in `ws`: the first
  /// half of a vector-Jacobian product whose weights are known only once the outputs are (when
  /// they are summed over MPI ranks, or feed a second function).
  [[nodiscard]] ReplayStatus evaluate_for_vjp(std::span<const double> x, std::span<double> y, Workspace& ws) const;
  /// grad = sum_k weights[k] d output_k / d x at the point of the last evaluate_for_vjp on `ws`
  /// (one reverse sweep; any number of calls with other weights). Throws TapeError when `ws`
  /// has no such evaluation, ShapeError for wrong sizes.
  void vector_jacobian_product(std::span<const double> weights, std::span<double> grad, Workspace& ws) const;
  /// f(x) of a scalar function (one output).
  [[nodiscard]] Evaluation value(std::span<const double> x, Workspace& ws) const;
  /// \overload with this thread's workspace.
  [[nodiscard]] Evaluation value(std::span<const double> x) const;
  /// f(x) and its gradient, written into `grad` (n values); scalar functions only.
  [[nodiscard]] Evaluation value_and_gradient(std::span<const double> x, std::span<double> grad, Workspace& ws) const;
  /// \overload with this thread's workspace.
  [[nodiscard]] Evaluation value_and_gradient(std::span<const double> x, std::span<double> grad) const;
  /// The gradient at x, written into `grad`; scalar functions only.
  [[nodiscard]] ReplayStatus gradient(std::span<const double> x, std::span<double> grad, Workspace& ws) const;
  /// \overload with this thread's workspace.
  [[nodiscard]] ReplayStatus gradient(std::span<const double> x, std::span<double> grad) const;
  /// The Jacobian at x (one forward replay, one reverse sweep per output).
  [[nodiscard]] ReplayStatus jacobian(std::span<const double> x, Jacobian& out, Workspace& ws) const;
  /// \overload with this thread's workspace.
  [[nodiscard]] ReplayStatus jacobian(std::span<const double> x, Jacobian& out) const;

  /// H(x) v, the Hessian of a scalar function times v, exactly (forward over reverse: a tangent
  /// sweep along v, then a reverse sweep of adjoints and their tangents); written into `out`.
  [[nodiscard]] ReplayStatus hessian_vector_product(std::span<const double> x, std::span<const double> v,
                                                    std::span<double> out, Workspace& ws) const;
  /// \overload with this thread's workspace.
  [[nodiscard]] ReplayStatus hessian_vector_product(std::span<const double> x, std::span<const double> v,
                                                    std::span<double> out) const;
  /// The dense Hessian (n x n, row-major, by n Hessian-vector products), written into `out`.
  [[nodiscard]] ReplayStatus hessian(std::span<const double> x, std::span<double> out, Workspace& ws) const;
  /// \overload with this thread's workspace.
  [[nodiscard]] ReplayStatus hessian(std::span<const double> x, std::span<double> out) const;

 private:
  explicit Function(std::shared_ptr<const detail::Program> program) noexcept : program_(std::move(program)) {}
  /// Records `call(body, inputs, outputs)` on a fresh replayable tape at x0 and compiles it.
  static Function record_outputs(std::span<const double> x0, void* body,
                                 void (*call)(void*, const std::vector<Var>&, std::vector<Var>&));
  detail::WorkspaceData& prepare(Workspace& ws) const;
  void check_sizes(std::span<const double> x, std::size_t out, std::size_t expected, const char* what) const;

  std::shared_ptr<const detail::Program> program_;
};

}  // namespace slope
