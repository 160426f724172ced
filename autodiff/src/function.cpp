#include "slope/autodiff/function.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <span>
#include <stdexcept>
#include <thread>

#include "free_list.hpp"
#include "program.hpp"
#include "slope/autodiff/errors.hpp"

namespace slope {

namespace {

/// A tape for Function::record, borrowed from this thread's and given back with its memory.
/// A tape made anew for every recording had its buffers paged in anew each time: with the
/// compile's own, a quarter of recording a small objective, which an optimizer that records
/// again where a branch flips pays at every flip. A recording made inside f (f records a
/// Function of its own) borrows another.
class RecordingTape {
 public:
  RecordingTape() : tape_(detail::FreeList<Tape>::take()) {
    tape_->clear();
    detail::ReplayableTape::tables(*tape_).clear();
  }
  ~RecordingTape() {
    if (tape_->stats().capacity_bytes <= detail::kKeptTapeBytes) detail::FreeList<Tape>::give_back(std::move(tape_));
  }
  RecordingTape(const RecordingTape&) = delete;
  RecordingTape& operator=(const RecordingTape&) = delete;

  Tape& operator*() const noexcept { return *tape_; }

 private:
  std::unique_ptr<Tape> tape_;
};

}  // namespace

Function Function::record_outputs(std::span<const double> x0, void* body,
                                  void (*call)(void*, const std::vector<Var>&, std::vector<Var>&)) {
  const RecordingTape borrowed;
  Tape& tape = *borrowed;
  auto recording = tape.record_replayable();
  const std::vector<Var> inputs = tape.inputs(x0);
  std::vector<Var> outputs;
  call(body, inputs, outputs);
  for (const Var& y : outputs) tape.check_owner(y);
  detail::ReplayableTape recorded(tape);
  return Function(std::make_shared<const detail::Program>(detail::compile(recorded, inputs.size(), outputs)));
}

Function::Workspace::Workspace() = default;
Function::Workspace::~Workspace() = default;
Function::Workspace::Workspace(Workspace&&) noexcept = default;
Function::Workspace& Function::Workspace::operator=(Workspace&&) noexcept = default;
Function::Workspace::Workspace(const Workspace& other)
    : data_(other.data_ ? std::make_unique<detail::WorkspaceData>(*other.data_) : nullptr) {}
Function::Workspace& Function::Workspace::operator=(const Workspace& other) {
  if (this != &other) data_ = other.data_ ? std::make_unique<detail::WorkspaceData>(*other.data_) : nullptr;
  return *this;
}

void Function::Workspace::set_threads(std::size_t threads) {
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  if (!data_) data_ = std::make_unique<detail::WorkspaceData>();
  data_->team.set(threads);
}

std::size_t Function::Workspace::threads() const noexcept { return data_ ? data_->team.threads() : 1; }

std::size_t Function::inputs() const noexcept { return program_->inputs; }
std::size_t Function::outputs() const noexcept { return program_->output_slot.size(); }
const FunctionStats& Function::stats() const noexcept { return program_->stats; }

Function::Workspace Function::workspace() const {
  Workspace ws;
  prepare(ws);
  return ws;
}

bool Function::share_memory_with(const Function& other) {
  if (program_ == other.program_) return true;
  // A copy: a Function copied before this call keeps the program it had. The copy's arrays
  // and copied spans point at this program's until shared with other's.
  auto program = std::make_shared<detail::Program>(*program_);
  const detail::Program& theirs = *other.program_;
  const bool same = program->code.share_if_equal(theirs.code);
  if (same) {  // the others can only be equal for equal instructions
    (void)program->runs.share_if_equal(theirs.runs);
    (void)program->edge_slot.share_if_equal(theirs.edge_slot);
    (void)program->nary_operands.share_if_equal(theirs.nary_operands);
    (void)program->coefficients.share_if_equal(theirs.coefficients);
  }
  program_ = std::move(program);
  return same;
}

detail::WorkspaceData& Function::prepare(Workspace& ws) const {
  if (!ws.data_) ws.data_ = std::make_unique<detail::WorkspaceData>();
  detail::WorkspaceData& d = *ws.data_;
  const detail::Program& p = *program_;
  if (d.program == p.id) return d;
  // Laid out for another program (or new). The forward replay writes every slot past the
  // constants before reading it, and every edge's partial but a linear combination's (constant:
  // set here); the reverse sweep clears the adjoints it uses. So only the constants and those
  // partials are loaded, and a workspace that moves between functions of one shape (blocks of
  // rows) keeps its buffers instead of clearing them; when they share their instructions,
  // operand slots and coefficients, the partials it holds are already theirs.
  d.value.resize(p.slots());
  std::copy(p.constant_values.begin(), p.constant_values.end(), d.value.begin());
  d.partial.resize(p.edges());
  // Owners, not addresses: a weak pointer keeps its owner's identity from being reused.
  const auto same = [](const std::weak_ptr<const void>& a, const std::weak_ptr<const void>& b) {
    return !a.owner_before(b) && !b.owner_before(a) && !a.expired();
  };
  const bool same_layout = d.layout_constants == p.constants && same(d.layout_code, p.code.storage()) &&
                           same(d.layout_operands, p.nary_operands.storage()) &&
                           same(d.layout_coefficients, p.coefficients.storage());
  const std::span<const detail::InstructionRun> to_load =
      same_layout ? std::span<const detail::InstructionRun>() : std::span(p.runs.data(), p.runs.size());
  for (const detail::InstructionRun& run : to_load) {
    if (run.op != OpCode::Fused || run.form != detail::Form::Nary) continue;
    for (std::uint32_t i = run.begin; i < run.end; ++i) {
      const detail::Instruction& ins = p.code[i];
      std::uint32_t e = ins.edge;
      for (std::uint32_t k = ins.a; k < ins.a + ins.b; ++k) {
        if (!p.is_constant(p.nary_operands[k])) d.partial[e++] = p.coefficients[k];
      }
    }
  }
  d.adjoint.resize(p.slots());
  std::fill_n(d.adjoint.begin(), p.constants, 0.0);  // never written, so never stale: cleared for readers
  d.seed.assign(p.output_slot.size(), 0.0);
  d.scratch.resize(std::max(2 * p.widest_nary, p.widest_vector));
  d.value_tangent.clear();  // second order: laid out by the first Hessian-vector product
  d.partial_tangent.clear();
  d.adjoint_tangent.clear();
  d.dual_scratch.clear();
  d.program = p.id;
  d.partials_ready = false;
  d.layout_code = p.code.storage();
  d.layout_operands = p.nary_operands.storage();
  d.layout_coefficients = p.coefficients.storage();
  d.layout_constants = p.constants;
  return d;
}

namespace detail {
Function::Workspace& thread_workspace() {
  thread_local Function::Workspace ws;
  return ws;
}
}  // namespace detail

void Function::check_sizes(std::span<const double> x, std::size_t out, std::size_t expected, const char* what) const {
  if (x.size() != program_->inputs) {
    throw ShapeError(fmt::format("slope::Function: {} inputs given, the function has {}", x.size(), program_->inputs));
  }
  if (out != expected) {
    throw ShapeError(fmt::format("slope::Function: {} has {} entries, expected {}", what, out, expected));
  }
}

ReplayStatus Function::evaluate(std::span<const double> x, std::span<double> y, Workspace& ws) const {
  check_sizes(x, y.size(), outputs(), "the output buffer");
  detail::WorkspaceData& d = prepare(ws);
  const ReplayStatus status = detail::replay_forward(*program_, x.data(), d, false);
  d.partials_ready = false;
  for (std::size_t k = 0; k < y.size(); ++k) y[k] = d.value[program_->output_slot[k]];
  return status;
}

ReplayStatus Function::evaluate_for_vjp(std::span<const double> x, std::span<double> y, Workspace& ws) const {
  check_sizes(x, y.size(), outputs(), "the output buffer");
  detail::WorkspaceData& d = prepare(ws);
  const ReplayStatus status = detail::replay_forward(*program_, x.data(), d, true);
  d.partials_ready = true;
  for (std::size_t k = 0; k < y.size(); ++k) y[k] = d.value[program_->output_slot[k]];
  return status;
}

void Function::vector_jacobian_product(std::span<const double> weights, std::span<double> grad, Workspace& ws) const {
  if (weights.size() != outputs() || grad.size() != inputs()) {
    throw ShapeError(fmt::format("slope::Function: vector_jacobian_product takes {} weights and {} gradient entries, "
                                 "given {} and {}",
                                 outputs(), inputs(), weights.size(), grad.size()));
  }
  if (!ws.data_ || ws.data_->program != program_->id || !ws.data_->partials_ready) {
    throw TapeError("slope::Function: vector_jacobian_product needs evaluate_for_vjp on the same workspace first");
  }
  detail::replay_reverse(*program_, weights.data(), *ws.data_);
  std::copy_n(ws.data_->adjoint.data() + program_->constants, program_->inputs, grad.data());
}

Evaluation Function::value(std::span<const double> x, Workspace& ws) const {
  double y = 0.0;
  check_sizes(x, 1, outputs(), "a scalar function's output");
  const ReplayStatus status = evaluate(x, std::span<double>(&y, 1), ws);
  return Evaluation{y, status};
}

Evaluation Function::value(std::span<const double> x) const { return value(x, detail::thread_workspace()); }

Evaluation Function::value_and_gradient(std::span<const double> x, std::span<double> grad, Workspace& ws) const {
  check_sizes(x, grad.size(), inputs(), "the gradient buffer");
  if (outputs() != 1) {
    throw ShapeError(fmt::format("slope::Function: gradient of a function with {} outputs (use jacobian)", outputs()));
  }
  detail::WorkspaceData& d = prepare(ws);
  const detail::Program& p = *program_;
  const ReplayStatus status = detail::replay_forward(p, x.data(), d, true);
  d.partials_ready = false;  // only evaluate_for_vjp leaves partials for vector_jacobian_product
  const double seed = 1.0;
  detail::replay_reverse(p, &seed, d);
  std::copy_n(d.adjoint.data() + p.constants, p.inputs, grad.data());
  return Evaluation{d.value[p.output_slot[0]], status};
}

Evaluation Function::value_and_gradient(std::span<const double> x, std::span<double> grad) const {
  return value_and_gradient(x, grad, detail::thread_workspace());
}

ReplayStatus Function::gradient(std::span<const double> x, std::span<double> grad, Workspace& ws) const {
  return value_and_gradient(x, grad, ws).status;
}

ReplayStatus Function::gradient(std::span<const double> x, std::span<double> grad) const {
  return gradient(x, grad, detail::thread_workspace());
}

ReplayStatus Function::jacobian(std::span<const double> x, Jacobian& out, Workspace& ws) const {
  check_sizes(x, 0, 0, "");
  detail::WorkspaceData& d = prepare(ws);
  const detail::Program& p = *program_;
  const ReplayStatus status = detail::replay_forward(p, x.data(), d, true);
  d.partials_ready = false;  // only evaluate_for_vjp leaves partials for vector_jacobian_product
  out.rows = outputs();
  out.cols = inputs();
  out.values.resize(out.rows);
  out.entries.resize(out.rows * out.cols);
  for (std::size_t i = 0; i < out.rows; ++i) {
    out.values[i] = d.value[p.output_slot[i]];
    std::fill(d.seed.begin(), d.seed.end(), 0.0);
    d.seed[i] = 1.0;
    detail::replay_reverse(p, d.seed.data(), d);
    std::copy_n(d.adjoint.data() + p.constants, p.inputs, out.entries.data() + i * out.cols);
  }
  return status;
}

ReplayStatus Function::jacobian(std::span<const double> x, Jacobian& out) const {
  return jacobian(x, out, detail::thread_workspace());
}

}  // namespace slope
