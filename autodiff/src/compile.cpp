// Compilation of a replayable recording into a detail::Program: validation, dead-code
// elimination, merging of linear chains, common subexpressions and slot assignment; the passes
// after it (schedule, runs) are in schedule.cpp.
#include <fmt/format.h>

#include <atomic>
#include <algorithm>
#include <bit>
#include <cstring>

#include "program.hpp"
#include "slope/autodiff/errors.hpp"
#include "slope/autodiff/tape.hpp"

namespace slope::detail {

namespace {

constexpr std::uint32_t kNone = 0xffff'ffffU;

std::uint64_t next_program_id() noexcept {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}

[[noreturn]] void refuse(const ReplayableTape& recorded, std::uint32_t node, std::string_view why) {
  throw TapeError(fmt::format("{} (node {}) cannot be recorded for slope::Function: {}",
                              op_name(recorded.op(node)), node, why));
}

/// Slots of the constants a program uses, stored once each (by bit pattern, so -0.0 and NaNs
/// keep their identity). A model's passive numbers (every X[i][j] of an index sum) are most of
/// its constants, so this is an open-addressing table of value indices, and each recorded
/// constant's slot is remembered: one lookup per recorded constant, not one per use.
class ConstantPool {
 public:
  explicit ConstantPool(std::size_t recorded) : slot_of_(recorded, kNone), table_(64, kNone) {}

  /// The slot of the recording's constant `ref` (a kConstantRef reference).
  std::uint32_t slot(const ReplayableTape& recorded, std::uint32_t ref) {
    std::uint32_t& known = slot_of_[ref & ~kConstantRef];
    if (known == kNone) known = slot(recorded.constant(ref));
    return known;
  }
  /// The slot of `value`.
  std::uint32_t slot(double value) {
    if (2 * (values_.size() + 1) > table_.size()) grow();
    const auto bits = std::bit_cast<std::uint64_t>(value);
    for (std::size_t at = spread(bits);; ++at) {
      std::uint32_t& entry = table_[at & (table_.size() - 1)];
      if (entry == kNone) {
        entry = static_cast<std::uint32_t>(values_.size());
        values_.push_back(value);
        return entry;
      }
      if (std::bit_cast<std::uint64_t>(values_[entry]) == bits) return entry;
    }
  }
  [[nodiscard]] std::vector<double>& values() noexcept { return values_; }

 private:
  static std::size_t spread(std::uint64_t bits) noexcept {
    bits ^= bits >> 33;
    bits *= 0xff51afd7ed558ccdULL;
    return static_cast<std::size_t>(bits ^ (bits >> 33));
  }
  void grow() {
    table_.assign(2 * table_.size(), kNone);
    for (std::uint32_t k = 0; k < values_.size(); ++k) {
      std::size_t at = spread(std::bit_cast<std::uint64_t>(values_[k]));
      while (table_[at & (table_.size() - 1)] != kNone) ++at;
      table_[at & (table_.size() - 1)] = k;
    }
  }

  std::vector<std::uint32_t> slot_of_;  // per recorded constant: its slot, or kNone
  std::vector<std::uint32_t> table_;    // a power of two entries, at most half used: indices into values_
  std::vector<double> values_;
};

/// How a live operation is compiled: as its own instruction, or merged into the linear
/// combination (OpCode::Fused) of the addition or subtraction that consumes it.
enum class Role : std::uint8_t {
  Own,          ///< an instruction of its own
  Term,         ///< c * v or v * c with a constant c: becomes the term (v, c) of its consumer
  Accumulator,  ///< an addition or subtraction that is its consumer's left operand
};

/// Linear merging: chains such as s = ((a + b) - c * x) + y become one instruction whose
/// partials are constants (the coefficients, set once per workspace), evaluated left to right
/// as recorded so that the value is unchanged bit for bit. Only an operation used once, by
/// an addition or subtraction, and neither an output nor a decision's operand, is merged.
class LinearMerge {
 public:
  LinearMerge(const ReplayableTape& recorded, std::span<const char> live, std::span<const char> pinned,
              std::uint32_t inputs)
      : recorded_(recorded), role_(recorded.nodes(), Role::Own) {
    const std::uint32_t nodes = recorded.nodes();
    std::vector<std::uint32_t> uses(nodes, 0);
    for (std::uint32_t i = inputs; i < nodes; ++i) {
      if (live[i] == 0 || !first_output(i)) continue;
      for (const std::uint32_t ref : operands(i)) {
        if ((ref & kConstantRef) == 0) ++uses[ref];
      }
    }
    const auto mergeable = [&](std::uint32_t ref) {
      return (ref & kConstantRef) == 0 && ref >= inputs && uses[ref] == 1 && pinned[ref] == 0;
    };
    for (std::uint32_t i = inputs; i < nodes; ++i) {
      if (live[i] == 0 || !linear(i)) continue;
      const std::span<const std::uint32_t> refs = operands(i);
      if (mergeable(refs[0])) {
        if (linear(refs[0])) role_[refs[0]] = Role::Accumulator;
        if (scaled(refs[0])) role_[refs[0]] = Role::Term;
      }
      if (mergeable(refs[1]) && scaled(refs[1])) role_[refs[1]] = Role::Term;
    }
  }

  [[nodiscard]] Role role(std::uint32_t node) const noexcept { return role_[node]; }
  /// False for the outputs of a vector operation after its first (they share its operands).
  [[nodiscard]] bool first_output(std::uint32_t node) const noexcept { return recorded_.first_output(node) == node; }
  /// True for an addition or subtraction of two operands.
  [[nodiscard]] bool linear(std::uint32_t node) const noexcept {
    const OpCode op = recorded_.op(node);
    return !recorded_.nary(node) && (op == op_code<Add> || op == op_code<Sub>);
  }

  /// The terms (operand reference, coefficient) of the combination rooted at `node`, in
  /// evaluation order; a Term's reference is its variable operand.
  void terms(std::uint32_t node, std::vector<std::pair<std::uint32_t, double>>& out) const {
    out.clear();
    for (std::uint32_t at = node;;) {  // down the left-operand chain, collecting right terms
      const std::span<const std::uint32_t> refs = operands(at);
      out.push_back(term(refs[1], recorded_.op(at) == op_code<Sub> ? -1.0 : 1.0));
      if ((refs[0] & kConstantRef) == 0 && role_[refs[0]] == Role::Accumulator) {
        at = refs[0];
        continue;
      }
      out.push_back(term(refs[0], 1.0));
      break;
    }
    std::reverse(out.begin(), out.end());
  }

 private:
  [[nodiscard]] std::span<const std::uint32_t> operands(std::uint32_t node) const noexcept {
    return recorded_.operands(node);
  }
  /// True for a product of an active operand and a constant.
  [[nodiscard]] bool scaled(std::uint32_t node) const noexcept {
    if (recorded_.nary(node) || recorded_.op(node) != op_code<Mul>) return false;
    const std::span<const std::uint32_t> refs = operands(node);
    return ((refs[0] & kConstantRef) != 0) != ((refs[1] & kConstantRef) != 0);
  }
  [[nodiscard]] std::pair<std::uint32_t, double> term(std::uint32_t ref, double sign) const {
    if ((ref & kConstantRef) != 0 || role_[ref] != Role::Term) return {ref, sign};
    const std::span<const std::uint32_t> refs = operands(ref);
    const bool constant_first = (refs[0] & kConstantRef) != 0;
    return {constant_first ? refs[1] : refs[0], sign * recorded_.constant(constant_first ? refs[0] : refs[1])};
  }

  const ReplayableTape& recorded_;
  std::vector<Role> role_;
};

/// Common subexpressions: an instruction equal to a recent one (the same operation and form on
/// the same operand slots with the same coefficients, or the same map) is not emitted again; its
/// node reads the earlier slot. Equal operations on equal operands give equal values (every
/// rule is a pure function), so nothing changes but the work: `dot(X[i], w) + b` written twice
/// in a row's terms is computed once. A direct-mapped table of recent instructions bounds the
/// memory and the time (one probe each): duplicates in a model sit close together.
class RecentInstructions {
 public:
  /// A table for a program of about `instructions` instructions: twice as many entries, at
  /// most kMaxSize. Each entry is the index of an instruction already emitted, whose key is
  /// read back from the program: a table of whole keys (88 bytes each, zeroed at every compile)
  /// cost a small objective's compile more than the rest of it, which a short optimizer run,
  /// recording once, paid in full.
  explicit RecentInstructions(std::size_t instructions)
      : table_(std::bit_ceil(std::clamp<std::size_t>(2 * instructions, 16, kMaxSize)), kNone) {}

  /// The index of an instruction equal to `ins` (not a vector instruction; a Nary one's
  /// operands and coefficients already appended to the program), or kNone; if none,
  /// remembers that `ins` is the instruction about to be emitted (index p.code.size()).
  std::uint32_t find_or_remember(const Program& p, const Instruction& ins) {
    std::uint64_t h = start(ins.op, ins.form);
    if (ins.form == Form::Nary) {
      mix_operands(p, h, ins.a, ins.b);
    } else {
      mix(h, ins.a);
      mix(h, ins.b);
    }
    std::uint32_t& entry = table_[h & (table_.size() - 1)];
    if (entry != kNone && same(p, p.code[entry], ins)) return entry;
    entry = static_cast<std::uint32_t>(p.code.size());
    return kNone;
  }

  /// \overload for the vector instruction `v` of operation `op` (its operands appended).
  std::uint32_t find_or_remember(const Program& p, OpCode op, const VectorInstruction& v) {
    std::uint64_t h = start(op, Form::Vector);
    mix_operands(p, h, v.operands, static_cast<std::uint32_t>(v.inputs()));
    // Not the map's data address: the table's evictions, and so which duplicates are shared and
    // the bits of the sums, would then change from run to run with where the data sit.
    mix(h, v.map.rows);
    mix(h, v.map.cols);
    mix(h, v.map.stride);
    mix(h, v.product.rows);
    mix(h, v.product.cols);
    std::uint32_t& entry = table_[h & (table_.size() - 1)];
    if (entry != kNone && p.code[entry].op == op && p.code[entry].form == Form::Vector &&
        same_vector(p, p.vectors[p.code[entry].a], v)) {
      return entry;
    }
    entry = static_cast<std::uint32_t>(p.code.size());
    return kNone;
  }

 private:
  static constexpr std::size_t kMaxSize = 4096;

  static std::uint64_t start(OpCode op, Form form) noexcept {
    return (static_cast<std::uint64_t>(op) << 8 | static_cast<std::uint64_t>(form)) * 0x9E3779B97F4A7C15ULL;
  }
  static void mix(std::uint64_t& h, std::uint64_t v) noexcept {
    h = (h ^ v) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  }
  static void mix_operands(const Program& p, std::uint64_t& h, std::uint32_t at, std::uint32_t count) noexcept {
    for (std::uint32_t j = 0; j < count; ++j) mix(h, p.nary_operands[at + j]);
  }

  static bool same_operands(const Program& p, std::uint32_t x, std::uint32_t y, std::uint32_t count) noexcept {
    return std::memcmp(&p.nary_operands[x], &p.nary_operands[y], sizeof(std::uint32_t) * count) == 0;
  }

  static bool same(const Program& p, const Instruction& x, const Instruction& y) noexcept {
    if (x.op != y.op || x.form != y.form) return false;
    switch (x.form) {
      case Form::Unary: return x.a == y.a;
      case Form::Both:
      case Form::First:
      case Form::Second: return x.a == y.a && x.b == y.b;
      case Form::Nary:
        return x.b == y.b && same_operands(p, x.a, y.a, x.b) &&
               std::memcmp(&p.coefficients[x.a], &p.coefficients[y.a], sizeof(double) * x.b) == 0;
      case Form::Vector: return false;  // compared by same_vector
    }
    return false;
  }

  static bool same_vector(const Program& p, const VectorInstruction& x, const VectorInstruction& y) noexcept {
    const LinearMap& m = x.map;
    const LinearMap& n = y.map;
    const bool same_map = m.data == n.data && m.stride == n.stride && m.rows == n.rows && m.cols == n.cols &&
                          std::bit_cast<std::uint64_t>(m.scale) == std::bit_cast<std::uint64_t>(n.scale) &&
                          m.sum == n.sum && m.transposed == n.transposed;
    return same_map && x.product == y.product && x.inputs() == y.inputs() &&
           same_operands(p, x.operands, y.operands, static_cast<std::uint32_t>(x.inputs()));
  }

  std::vector<std::uint32_t> table_;  // a power of two entries: instruction indices, or kNone
};

}  // namespace

Program compile(ReplayableTape& recorded, std::size_t inputs, std::span<const Var> outputs) {
  if (recorded.failed()) throw TapeError("slope::Function: out of memory while recording a comparison");
  const std::uint32_t nodes = recorded.nodes();
  const auto n = static_cast<std::uint32_t>(inputs);

  // Every node after the inputs must be an operation the replay has a rule for, with its
  // rule's number of operands; anything else (Tape::input inside f) is refused by name.
  for (std::uint32_t i = n; i < nodes; ++i) {
    if (recorded.vector_step(i) != nullptr) continue;  // a vector operation
    const OpCode op = recorded.op(i);
    const std::size_t count = recorded.operands(i).size();
    const int arity = rule_arity(op);
    if (recorded.nary(i) && op == OpCode::Fused) continue;  // a linear combination (vector operations)
    const bool fits = recorded.nary(i) ? (variadic_rule(op) || static_cast<std::size_t>(arity) == count)
                                       : static_cast<std::size_t>(arity) == count;
    if (arity == 0 || !fits) refuse(recorded, i, "a replay has no rule for it");
  }

  // Dead-code elimination: keep what an output or a decision depends on.
  const auto node_of = [](std::uint32_t ref) { return (ref & kConstantRef) != 0 ? kNone : ref; };
  std::vector<char> live(nodes, 0);
  for (const Var& y : outputs) {
    if (!y.is_constant()) live[VarAccess::id(y)] = 1;
  }
  std::vector<char> pinned(nodes, 0);  // read from outside: never merged away
  for (const Var& y : outputs) {
    if (!y.is_constant()) pinned[VarAccess::id(y)] = 1;
  }
  for (const ReplayTables::Decision& d : recorded.decisions()) {
    for (const std::uint32_t ref : {d.a, d.b}) {
      if (const std::uint32_t m = node_of(ref); m != kNone) live[m] = pinned[m] = 1;
    }
  }
  for (std::uint32_t i = nodes; i-- > n;) {
    if (recorded.vector_step(i) != nullptr) {  // a vector operation (met at its last output): all of it or none
      const std::uint32_t first_output = recorded.first_output(i);
      if (std::any_of(live.begin() + first_output, live.begin() + i + 1, [](char l) { return l != 0; })) {
        std::fill(live.begin() + first_output, live.begin() + i + 1, char{1});
        for (const std::uint32_t ref : recorded.operands(first_output)) {
          if (const std::uint32_t m = node_of(ref); m != kNone) live[m] = 1;
        }
      }
      i = first_output;
      continue;
    }
    if (live[i] == 0) continue;
    for (const std::uint32_t ref : recorded.operands(i)) {
      if (const std::uint32_t m = node_of(ref); m != kNone) live[m] = 1;
    }
  }

  // Constants first, so that one comparison (slot < C) tells a constant operand; a first pass
  // assigns them, the second writes instructions.
  ConstantPool pool(recorded.constant_count());
  const auto constant_slot = [&](std::uint32_t ref) { return pool.slot(recorded, ref); };
  std::size_t kept = 0;
  for (std::uint32_t i = n; i < nodes; ++i) {
    if (live[i] == 0) continue;
    ++kept;
    if (recorded.first_output(i) != i) continue;  // a vector operation's later output: operands seen
    for (const std::uint32_t ref : recorded.operands(i)) {
      if ((ref & kConstantRef) != 0) constant_slot(ref);
    }
  }
  for (const ReplayTables::Decision& d : recorded.decisions()) {
    if ((d.a & kConstantRef) != 0) constant_slot(d.a);
    if ((d.b & kConstantRef) != 0) constant_slot(d.b);
  }
  for (const Var& y : outputs) {
    if (y.is_constant()) pool.slot(y.value());
  }

  Program p;
  p.id = next_program_id();
  p.inputs = n;
  p.constants = static_cast<std::uint32_t>(pool.values().size());
  p.constant_values = pool.values();  // a copy: `slot` below still looks constants up in the pool
  const std::uint32_t c = p.constants;
  std::vector<std::uint32_t> slot_of(nodes, kNone);
  for (std::uint32_t j = 0; j < n; ++j) slot_of[j] = c + j;
  const auto slot = [&](std::uint32_t ref) { return (ref & kConstantRef) != 0 ? constant_slot(ref) : slot_of[ref]; };

  const LinearMerge merge(recorded, live, pinned, n);
  std::vector<std::pair<std::uint32_t, double>> terms;
  std::size_t merged = 0;
  std::size_t shared = 0;
  RecentInstructions recent(kept);
  p.code.reserve(kept + 1);
  std::uint32_t edges = 0;
  for (std::uint32_t i = n; i < nodes; ++i) {
    if (live[i] == 0) continue;
    if (merge.role(i) != Role::Own) {
      ++merged;
      continue;
    }
    const OpCode op = recorded.op(i);
    const bool nary_step = recorded.nary(i);
    const std::span<const std::uint32_t> refs = recorded.operands(i);
    if (const ReplayTables::VectorStep* step = recorded.vector_step(i)) {  // one instruction per output, no edges
      if (step->first_output != i) continue;                               // emitted with the first output
      VectorInstruction v;
      v.map = step->map;
      v.product = step->product;
      v.bilinear = step->bilinear;
      v.first = static_cast<std::uint32_t>(p.code.size());
      v.operands = static_cast<std::uint32_t>(p.nary_operands.size());
      const auto results = static_cast<std::uint32_t>(v.outputs());
      for (const std::uint32_t ref : refs) {
        p.nary_operands.push_back(slot(ref));
        p.coefficients.push_back(0.0);
      }
      const std::uint32_t earlier = recent.find_or_remember(p, op, v);
      if (earlier != kNone) {  // computed already: its outputs are this one's
        p.nary_operands.resize(v.operands);
        p.coefficients.resize(v.operands);
        for (std::uint32_t k = 0; k < results; ++k) slot_of[i + k] = c + n + earlier + k;
        shared += results;
        continue;
      }
      const auto vector = static_cast<std::uint32_t>(p.vectors.size());
      p.vectors.push_back(v);
      p.widest_vector = std::max(p.widest_vector, v.scratch());
      for (std::uint32_t k = 0; k < results; ++k) {
        Instruction ins;
        ins.op = op;
        ins.form = Form::Vector;
        ins.a = vector;
        ins.b = k;
        ins.edge = edges;
        slot_of[i + k] = c + n + static_cast<std::uint32_t>(p.code.size());
        p.code.push_back(ins);
      }
      continue;
    }
    Instruction ins;
    ins.op = op;
    ins.edge = edges;
    if (!nary_step && merge.linear(i)) {
      merge.terms(i, terms);
      ins.op = OpCode::Fused;
      ins.form = Form::Nary;
      ins.a = static_cast<std::uint32_t>(p.nary_operands.size());
      ins.b = static_cast<std::uint32_t>(terms.size());
      for (const auto& [ref, coefficient] : terms) {
        p.nary_operands.push_back(slot(ref));
        p.coefficients.push_back(coefficient);
      }
    } else if (nary_step) {
      ins.form = Form::Nary;
      ins.a = static_cast<std::uint32_t>(p.nary_operands.size());
      ins.b = static_cast<std::uint32_t>(refs.size());
      for (const std::uint32_t ref : refs) p.nary_operands.push_back(slot(ref));
      if (op == OpCode::Fused) {  // a recorded linear combination: its own coefficients
        const std::span<const double> recorded_coefficients = recorded.coefficients(i);
        p.coefficients.append(recorded_coefficients.begin(), recorded_coefficients.end());
      } else {
        p.coefficients.resize(p.nary_operands.size(), 0.0);
        p.widest_nary = std::max(p.widest_nary, refs.size());
      }
    } else if (refs.size() == 1) {
      ins.form = Form::Unary;
      ins.a = slot(refs[0]);
    } else {
      ins.a = slot(refs[0]);
      ins.b = slot(refs[1]);
      ins.form = p.is_constant(ins.b) ? Form::First : p.is_constant(ins.a) ? Form::Second : Form::Both;
      if (ins.op == op_code<Mul> && ins.form == Form::Both && ins.a == ins.b) {
        // x * x is Square's x * x (same bits), with one edge 2x instead of two edges x into
        // the same adjoint, which the reverse sweep would update twice in a row.
        ins.op = op_code<Square>;
        ins.form = Form::Unary;
      }
    }
    const std::uint32_t earlier = recent.find_or_remember(p, ins);
    if (earlier != kNone) {  // computed already
      if (ins.form == Form::Nary) {
        p.nary_operands.resize(ins.a);
        p.coefficients.resize(ins.a);
      }
      slot_of[i] = c + n + earlier;
      ++shared;
      continue;
    }
    for (const std::uint32_t s : operand_slots(p, ins)) {
      if (p.is_constant(s)) continue;
      p.edge_slot.push_back(s);
      ++edges;
    }
    slot_of[i] = c + n + static_cast<std::uint32_t>(p.code.size());
    p.code.push_back(ins);
  }
  Instruction sentinel;
  sentinel.edge = edges;
  p.code.push_back(sentinel);

  for (const ReplayTables::Decision& d : recorded.decisions()) {
    p.decisions.push_back(Decision{slot(d.a), slot(d.b), d.kind, d.outcome});
  }
  for (const Var& y : outputs) {
    p.output_slot.push_back(y.is_constant() ? pool.slot(y.value()) : slot_of[VarAccess::id(y)]);
  }

  schedule(p);
  join_row_dots(p, recorded.copies());
  // The maps point into them (a moved vector keeps its buffer).
  p.copies = std::make_shared<const std::vector<std::vector<double>>>(std::move(recorded.copies()));
  build_runs(p);
  mark_split_runs(p);

  p.stats.inputs = n;
  p.stats.outputs = outputs.size();
  p.stats.recorded = nodes - n;
  p.stats.kept = p.instructions();
  p.stats.dead = nodes - n - kept;
  p.stats.merged = merged;
  p.stats.precomputed = recorded.precomputed();
  p.stats.constants = p.constants;
  p.stats.decisions = p.decisions.size();
  p.stats.vector_operations = p.vectors.size();
  p.stats.shared = shared;
  p.stats.split_runs = static_cast<std::size_t>(
      std::count_if(p.runs.begin(), p.runs.end(), [](const InstructionRun& run) { return run.split != 0; }));
  p.stats.edges = edges;
  return p;
}

}  // namespace slope::detail
