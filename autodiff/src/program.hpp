#pragma once
// slope::detail::Program: the compiled, immutable form of a slope::Function (private to the
// library's sources).
//
// Value slots: [0, C) constants, [C, C + n) inputs, then one slot per instruction, in order.
// Each instruction reads operand slots and writes its own; its partial derivatives go to the
// edges [edge, next instruction's edge), one per operand that is not a constant, and
// edge_slot says which slot each edge feeds in the reverse sweep.
//
// A vector instruction (a linear map y = M u with M passive and referenced: sum, mean, dot with
// a passive vector, matvec, vecmat; or a product of two matrices of operands: matmul, dot of two
// Var vectors, squared norm) writes one slot per output, so it takes as many consecutive
// instructions of Form::Vector; it has no edges: its partials are M itself, which the reverse
// sweep applies transposed (linear_map.hpp), so the data is never copied into the program, or
// for a product the operands' values (matrix_product.hpp).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "slope/autodiff/function.hpp"
#include "slope/autodiff/math.hpp"
#include "fork_join.hpp"
#include "linear_map.hpp"
#include "matrix_product.hpp"
#include "replayable_tape.hpp"
#include "shared_array.hpp"
#include "slope/autodiff/op_code.hpp"
#include "slope/autodiff/var.hpp"

namespace slope::detail {

/// The threads of a workspace (Workspace::set_threads): started by the first evaluation that
/// splits a run, never shared by a copy.
class Team {
 public:
  Team() = default;
  Team(const Team& other) : threads_(other.threads_) {}
  Team& operator=(const Team& other) {
    if (this != &other) set(other.threads_);
    return *this;
  }
  Team(Team&&) noexcept = default;
  Team& operator=(Team&&) noexcept = default;
  ~Team() = default;

  void set(std::size_t threads) {
    if (threads != threads_) team_.reset();
    threads_ = threads;
  }
  [[nodiscard]] std::size_t threads() const noexcept { return threads_; }
  /// The team, or null with one thread.
  [[nodiscard]] ForkJoin* get() {
    if (threads_ <= 1) return nullptr;
    if (!team_) team_ = std::make_unique<ForkJoin>(threads_);
    return team_.get();
  }

 private:
  std::size_t threads_ = 1;
  std::unique_ptr<ForkJoin> team_;
};

/// A Workspace's buffers (see Function::Workspace).
struct WorkspaceData {
  std::uint64_t program = 0;  // id of the Program the buffers are laid out for
  std::vector<double> value;
  std::vector<double> partial;
  std::vector<double> adjoint;
  std::vector<double> seed;
  std::vector<double> scratch;           // operands and partials of n-ary and vector operations
  std::vector<double> value_tangent;     // second order: forward tangents of values,
  std::vector<double> partial_tangent;   // of partials,
  std::vector<double> adjoint_tangent;   // and tangents of adjoints
  std::vector<Dual> dual_scratch;        // n-ary operations along a tangent
  std::vector<double> block_sums;        // a split run's sums into shared slots, per block
  bool partials_ready = false;           // the last forward replay kept its partials (see
                                         // Function::evaluate_for_vjp)
  // The storage of the instructions, operand slots and coefficients the buffers were laid out
  // for: a program sharing all three (a block of rows of the same shape) has the same linear
  // combinations' partials, which then stay.
  std::weak_ptr<const void> layout_code;
  std::weak_ptr<const void> layout_operands;
  std::weak_ptr<const void> layout_coefficients;
  std::uint32_t layout_constants = 0;
  Team team;
};

/// Which operands of an instruction are active (not constants), and where they are.
enum class Form : std::uint8_t {
  Unary,   ///< one operand, slot a
  Both,    ///< two operands a, b, both active: two edges
  First,   ///< two operands, only a active (b is a constant): one edge
  Second,  ///< two operands, only b active: one edge
  Nary,    ///< operand slots nary_operands[a, a + b); one edge per active one (OpCode::Fused:
           ///< the linear combination sum_k coefficients[a + k] * operand k, left to right)
  Vector,  ///< output b of the vector instruction vectors[a]; no edges
};

/// One step of a compiled function.
struct Instruction {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  std::uint32_t edge = 0;  // first edge (partial) of this instruction
  OpCode op = OpCode::Input;
  Form form = Form::Unary;
  friend bool operator==(const Instruction&, const Instruction&) = default;
};

/// Runs at least this long may be split over a workspace's threads (a shorter one costs more
/// to hand out than it saves).
inline constexpr std::uint32_t kParallelRun = 4096;
/// A split run's edges into one shared slot (b in x_i + b) are summed per block of this many
/// instructions, and the block sums added in block order, whatever the thread count: the
/// same bits with one thread or many.
inline constexpr std::uint32_t kReduceBlock = 2048;

/// InstructionRun::split: whether and how a run may be split over threads.
enum RunSplit : std::uint8_t {
  kSplit = 1,         ///< no instruction reads another of the run; every edge target distinct,
                      ///< except those of a shared column:
  kSharedFirst = 2,   ///< the first edge of every instruction goes to one slot
  kSharedSecond = 4,  ///< the second edge of every instruction goes to one slot
};

/// Consecutive instructions with the same operation and form, which the replay dispatches
/// once (dispatch.hpp) and the reverse sweep walks without looking at each instruction.
struct InstructionRun {
  std::uint32_t begin = 0;  // first instruction
  std::uint32_t end = 0;    // one past the last
  std::uint32_t edge = 0;   // first edge of the first instruction
  OpCode op = OpCode::Input;
  Form form = Form::Unary;
  std::uint8_t edges_each = 0;  // edges of every instruction of the run (1 or 2), or 0 if they differ
  std::uint8_t split = 0;       // RunSplit flags (0: always serial)
  friend bool operator==(const InstructionRun&, const InstructionRun&) = default;
};

/// A vector operation over operand slots: a linear map y = M u (M passive), or a product
/// C = A B of two matrices of operands (`bilinear`; matrix_product.hpp). One of several outputs
/// keeps its instructions together and in place when scheduled; one of a single output moves
/// like any instruction, and runs of them are dispatched together. Its outputs are the slots
/// of the instructions [first, first + outputs()), its operands
/// nary_operands[operands, operands + inputs()).
struct VectorInstruction {
  LinearMap map;          // unless bilinear
  MatrixProduct product;  // when bilinear
  bool bilinear = false;
  std::uint32_t first = 0;
  std::uint32_t operands = 0;

  [[nodiscard]] std::size_t inputs() const noexcept { return bilinear ? product.inputs() : map.inputs(); }
  [[nodiscard]] std::size_t outputs() const noexcept { return bilinear ? product.outputs() : map.outputs(); }
  /// Doubles of scratch it needs: its operands gathered, and for a product also their
  /// tangents, B transposed and the adjoints of A and B (Function::hessian_vector_product).
  [[nodiscard]] std::size_t scratch() const noexcept { return bilinear ? 4 * product.inputs() : map.inputs(); }
};

/// A decision re-checked on every evaluation: `kind` of slots a and b must give `outcome`.
struct Decision {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  DecisionKind kind = DecisionKind::Order;
  int outcome = 0;
};

/// Everything a Function evaluates; shared, never modified after compilation.
struct Program {
  std::uint64_t id = 0;          // tells workspaces which program they were prepared for
  std::uint32_t inputs = 0;      // n
  std::uint32_t constants = 0;   // C
  std::vector<double> constant_values;
  // The large arrays, which programs of one shape may share (Function::share_memory_with):
  SharedArray<Instruction> code;  // plus a sentinel whose `edge` is the number of edges
  SharedArray<InstructionRun> runs;           // the instructions, in order, grouped (schedule.cpp)
  SharedArray<std::uint32_t> edge_slot;
  SharedArray<std::uint32_t> nary_operands;
  SharedArray<double> coefficients;  // beside nary_operands: an OpCode::Fused term's coefficient
  std::vector<VectorInstruction> vectors;
  // Passive numbers of spans (dot with a passive vector) the maps read: held by the copies of
  // a program too (Function::share_memory_with), so that the maps' pointers stay valid.
  std::shared_ptr<const std::vector<std::vector<double>>> copies;
  std::vector<std::uint32_t> output_slot;
  std::vector<Decision> decisions;  // re-checked after every forward replay
  std::size_t widest_nary = 0;   // scratch a workspace needs for n-ary operations
  std::size_t widest_vector = 0; // and for a vector instruction's gathered operands and results
  FunctionStats stats;

  [[nodiscard]] std::size_t instructions() const noexcept { return code.size() - 1; }
  [[nodiscard]] std::size_t slots() const noexcept { return constants + inputs + instructions(); }
  [[nodiscard]] std::size_t edges() const noexcept { return code.back().edge; }
  [[nodiscard]] bool is_constant(std::uint32_t slot) const noexcept { return slot < constants; }
};

/// Forward replay at x: fills the workspace's values (and partials when `partials`), then
/// re-checks the recorded decisions.
ReplayStatus replay_forward(const Program& program, const double* x, WorkspaceData& ws, bool partials);
/// The convenience overloads' workspace: one per thread, re-laid out when the thread switches
/// between Functions.
Function::Workspace& thread_workspace();
/// Reverse sweep after replay_forward(..., true): adjoints of every slot for the given output seeds.
void replay_reverse(const Program& program, const double* seeds, WorkspaceData& ws);
/// Adds a vector instruction's contribution to its operands' adjoints, given its outputs'
/// adjoints and every slot's `value` (a product's partials; `scratch`: v.scratch() doubles); a
/// large map is split over `team` if given.
void vector_adjoint(const Program& program, const VectorInstruction& v, const double* value,
                    const double* output_adjoint, double* scratch, double* adjoint, ForkJoin* team = nullptr);
/// True when `op` is a built-in rule with a variadic form (a VariadicRule: log_sum_exp).
bool variadic_rule(OpCode op) noexcept;
/// The operand slots of an instruction (constants included).
std::span<const std::uint32_t> operand_slots(const Program& p, const Instruction& ins) noexcept;
/// Reorders the instructions of each window of a few hundred by dependency level, then by
/// operation and form (schedule.cpp says why).
void schedule(Program& p);
/// Groups consecutive instructions of the same operation, form and edge count into runs.
void build_runs(Program& p);
/// Marks the runs a workspace with threads may split (InstructionRun::split).
void mark_split_runs(Program& p);
/// Joins consecutive dot products of the same Vars with passive rows (an index sum over rows:
/// dot(X[i], w) for each i) into one matrix-vector product each (row_dots.cpp): after the
/// schedule, which puts them side by side. Rows the recording copied are gathered from
/// `copies` into one block, their own copies emptied.
void join_row_dots(Program& p, std::vector<std::vector<double>>& copies);
/// Compiles a replayable recording: inputs are nodes [0, n) of the tape, outputs as given. The
/// passive numbers the recording copied move into the program.
Program compile(ReplayableTape& recorded, std::size_t inputs, std::span<const Var> outputs);

}  // namespace slope::detail
