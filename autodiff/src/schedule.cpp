// The passes after code generation: instructions reordered in windows (schedule), grouped into
// runs of the same operation (build_runs), and the runs a workspace's threads may split marked
// (mark_split_runs). Each keeps every instruction's operation and operands, so values keep
// their bits.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "program.hpp"

namespace slope::detail {

namespace {

constexpr std::uint32_t kNone = 0xffff'ffffU;

}  // namespace

/// The operand slots of an instruction (constants included).
std::span<const std::uint32_t> operand_slots(const Program& p, const Instruction& ins) noexcept {
  if (ins.form == Form::Nary) return std::span<const std::uint32_t>(p.nary_operands).subspan(ins.a, ins.b);
  if (ins.form == Form::Vector) {
    const VectorInstruction& v = p.vectors[ins.a];
    return std::span<const std::uint32_t>(p.nary_operands).subspan(v.operands, v.inputs());
  }
  return {&ins.a, ins.form == Form::Unary ? 1U : 2U};
}

/// Instructions per scheduling window: small enough that a window's values and partials stay
/// in L1 between the operation that writes them and the ones that read them.
constexpr std::size_t kScheduleWindow = 512;

namespace {

constexpr std::uint32_t kForms = 6;  // Form's enumerators

/// What sort_window keeps between windows, so that a window costs no allocation.
struct WindowSorter {
  std::vector<std::uint16_t> rank = std::vector<std::uint16_t>(kOpCodes * kForms, kNoRank);  // of (op, form)
  std::vector<std::uint32_t> present;  // the (op, form) pairs of the window
  std::vector<std::uint32_t> start;    // counting sort: first place of each key
  std::vector<std::uint64_t> packed;   // the general sort's keys
  static constexpr std::uint16_t kNoRank = 0xffff;
};

/// Orders the window [begin, end) of `order` by (level, op, form, and for a vector instruction
/// of one output its first operand), stably. The dot products of the same Vars with each row
/// (an index sum) then end side by side, which join_row_dots needs. Compiling is paid again at
/// every recording (an optimizer records again wherever a recorded branch flips), so the common
/// window, without vector instructions, is a counting sort over its few distinct keys: a
/// comparison sort of index tuples was a quarter of a compile.
void sort_window(const Program& p, std::span<const std::uint32_t> level, std::size_t begin, std::size_t end,
                 std::vector<std::uint32_t>& order, WindowSorter& s) {
  const auto pair_of = [&](std::size_t i) {
    return static_cast<std::uint32_t>(p.code[i].op) * kForms + static_cast<std::uint32_t>(p.code[i].form);
  };
  bool vector = false;
  std::uint32_t levels = 0;
  s.present.clear();
  for (std::size_t i = begin; i < end; ++i) {
    vector = vector || p.code[i].form == Form::Vector;
    levels = std::max(levels, level[i] + 1);
    if (const std::uint32_t k = pair_of(i); s.rank[k] == WindowSorter::kNoRank) {
      s.rank[k] = 0;
      s.present.push_back(k);
    }
  }
  std::sort(s.present.begin(), s.present.end());
  for (std::size_t r = 0; r < s.present.size(); ++r) s.rank[s.present[r]] = static_cast<std::uint16_t>(r);
  const std::size_t pairs = s.present.size();
  const std::size_t keys = levels * pairs;
  if (!vector && keys <= 4 * kScheduleWindow) {
    s.start.assign(keys + 1, 0);
    for (std::size_t i = begin; i < end; ++i) ++s.start[level[i] * pairs + s.rank[pair_of(i)] + 1];
    for (std::size_t k = 1; k <= keys; ++k) s.start[k] += s.start[k - 1];
    for (std::size_t i = begin; i < end; ++i) {
      order[begin + s.start[level[i] * pairs + s.rank[pair_of(i)]]++] = static_cast<std::uint32_t>(i);
    }
  } else {
    // Every field in one integer, the position last (so equal keys keep their order): level and
    // position < kScheduleWindow (9 bits each), op * kForms + form (11 bits), operand 32.
    static_assert(kScheduleWindow <= 512 && kOpCodes <= 256);
    const auto operand = [&](std::size_t i) -> std::uint64_t {
      const Instruction& ins = p.code[i];
      if (ins.form != Form::Vector || p.vectors[ins.a].inputs() == 0) return 0;
      return p.nary_operands[p.vectors[ins.a].operands];
    };
    s.packed.clear();
    for (std::size_t i = begin; i < end; ++i) {
      s.packed.push_back(std::uint64_t{level[i]} << 52 | std::uint64_t{pair_of(i)} << 41 | operand(i) << 9 |
                         (i - begin));
    }
    std::sort(s.packed.begin(), s.packed.end());
    for (std::size_t k = 0; k < s.packed.size(); ++k) {
      order[begin + k] = static_cast<std::uint32_t>(begin + (s.packed[k] & 511));
    }
  }
  for (const std::uint32_t k : s.present) s.rank[k] = WindowSorter::kNoRank;
}

}  // namespace

/// Reorders the instructions of each window of kScheduleWindow by dependency level (ASAP
/// within the window), then by operation and form, keeping the recorded order otherwise.
/// Why: recorded code interleaves a few operations per statement (x*x, a sum, a product...),
/// so the replay's `switch` jumps somewhere else at every instruction and each instruction
/// waits for the one before it. Grouped, the jumps repeat (predicted) and consecutive
/// instructions are independent (they overlap in the CPU), forward and in the reverse sweep.
/// Every instruction still computes the same rule on the same operands, so values keep their
/// bits; only the order in which an adjoint's contributions are added may change.
void schedule(Program& p) {
  const Program& cp = p;  // read through: a SharedArray accessed for writing checks its sharing each time
  const std::size_t count = p.instructions();
  const std::uint32_t first = p.constants + p.inputs;
  std::vector<std::uint32_t> order(count);
  std::vector<std::uint32_t> level(count, 0);
  WindowSorter sorter;
  // A vector instruction of several outputs keeps them together and in place: a window of its
  // own. One of a single output (a dot product, a sum) is scheduled like any instruction.
  const auto barrier = [&](std::size_t i) {
    return cp.code[i].form == Form::Vector && cp.vectors[cp.code[i].a].outputs() > 1;
  };
  for (std::size_t start = 0, end = 0; start < count; start = end) {
    if (barrier(start)) {
      end = start + cp.vectors[cp.code[start].a].outputs();
      for (std::size_t i = start; i < end; ++i) order[i] = static_cast<std::uint32_t>(i);
      continue;
    }
    end = start;
    while (end < count && end - start < kScheduleWindow && !barrier(end)) ++end;
    for (std::size_t i = start; i < end; ++i) {
      for (const std::uint32_t s : operand_slots(cp, cp.code[i])) {
        if (s >= first + start) level[i] = std::max(level[i], level[s - first] + 1);  // written in this window
      }
    }
    sort_window(p, level, start, end, order, sorter);
  }

  std::vector<std::uint32_t> position(count);
  for (std::size_t k = 0; k < count; ++k) position[order[k]] = static_cast<std::uint32_t>(k);
  const auto moved = [&](std::uint32_t s) { return s < first ? s : first + position[s - first]; };
  std::vector<Instruction> code;
  code.reserve(count + 1);
  std::vector<std::uint32_t> edge_slot, nary_operands;
  std::vector<double> coefficients;
  edge_slot.reserve(cp.edge_slot.size());
  nary_operands.reserve(cp.nary_operands.size());
  coefficients.reserve(cp.coefficients.size());
  for (const std::uint32_t old : order) {
    Instruction ins = cp.code[old];
    const std::uint32_t old_edge = ins.edge;
    ins.edge = static_cast<std::uint32_t>(edge_slot.size());
    if (ins.form == Form::Nary) {
      const auto at = static_cast<std::uint32_t>(nary_operands.size());
      for (std::uint32_t k = ins.a; k < ins.a + ins.b; ++k) {
        nary_operands.push_back(moved(cp.nary_operands[k]));
        coefficients.push_back(cp.coefficients[k]);
      }
      ins.a = at;
    } else if (ins.form == Form::Vector) {
      if (ins.b == 0) {  // the first output: the instruction's operands and place
        VectorInstruction& v = p.vectors[ins.a];
        const auto at = static_cast<std::uint32_t>(nary_operands.size());
        for (std::uint32_t k = v.operands; k < v.operands + v.inputs(); ++k) {
          nary_operands.push_back(moved(cp.nary_operands[k]));
          coefficients.push_back(0.0);
        }
        v.operands = at;
        v.first = static_cast<std::uint32_t>(code.size());
      }
    } else {
      ins.a = moved(ins.a);
      if (ins.form != Form::Unary) ins.b = moved(ins.b);
    }
    for (std::uint32_t e = old_edge; e < cp.code[old + 1].edge; ++e) {
      edge_slot.push_back(moved(cp.edge_slot[e]));
    }
    code.push_back(ins);
  }
  code.push_back(cp.code.back());  // the sentinel: the number of edges is unchanged
  p.code = std::move(code);
  p.edge_slot = std::move(edge_slot);
  p.nary_operands = std::move(nary_operands);
  p.coefficients = std::move(coefficients);
  for (Decision& g : p.decisions) {
    g.a = moved(g.a);
    g.b = moved(g.b);
  }
  for (std::uint32_t& s : p.output_slot) s = moved(s);
}

/// Groups consecutive instructions of the same operation, form and edge count into runs.
void build_runs(Program& p) {
  const Program& cp = p;
  std::vector<InstructionRun> runs;
  const auto count = static_cast<std::uint32_t>(p.instructions());
  for (std::uint32_t i = 0; i < count; ++i) {
    const Instruction& ins = cp.code[i];
    const std::uint32_t edges = cp.code[i + 1].edge - ins.edge;
    const auto each = static_cast<std::uint8_t>(edges == 1 || edges == 2 ? edges : 0);
    if (ins.form == Form::Vector) {
      // A run holds one vector instruction of several outputs, or consecutive ones of a single
      // output with the same operation (the dot products of an index sum over rows).
      const bool single = p.vectors[ins.a].outputs() == 1;
      const bool extends = ins.b != 0 || (single && i > 0 && !runs.empty() && runs.back().end == i &&
                                          runs.back().form == Form::Vector && runs.back().op == ins.op &&
                                          p.vectors[cp.code[i - 1].a].outputs() == 1);
      if (extends) {
        runs.back().end = i + 1;
      } else {
        runs.push_back(InstructionRun{i, i + 1, ins.edge, ins.op, ins.form, 0});
      }
      continue;
    }
    // A run also ends where the edge count changes (as from an addition of two Vars to one of
    // a Var and a constant), so that the reverse sweep's fixed-count loops cover most runs.
    if (!runs.empty() && runs.back().op == ins.op && runs.back().form == ins.form && runs.back().edges_each == each) {
      runs.back().end = i + 1;
      continue;
    }
    runs.push_back(InstructionRun{i, i + 1, ins.edge, ins.op, ins.form, each});
  }
  p.runs = std::move(runs);
}

/// Marks the runs a workspace with threads may split (InstructionRun::split): long, of one or
/// two edges per instruction, of a unary or binary rule or linear combinations, no instruction reading the result of
/// another of the same run (so all of them can be computed at once), and each edge column
/// either going to one shared slot (summed per block, see kReduceBlock) or to slots that no
/// other edge of the run reaches (so parts of the run can add into them at once).
void mark_split_runs(Program& p) {
  const Program& cp = p;
  const std::uint32_t first = p.constants + p.inputs;
  std::vector<std::uint32_t> stamp(p.slots(), kNone);  // the run whose edges last reached a slot
  for (std::size_t r = 0; r < p.runs.size(); ++r) {
    InstructionRun& run = p.runs[r];
    const std::uint32_t length = run.end - run.begin;
    // Not a variadic rule's n-ary form, whose replay uses the workspace's scratch.
    const bool rule_form = run.form == Form::Unary || run.form == Form::Both || run.form == Form::First ||
                           run.form == Form::Second || (run.form == Form::Nary && run.op == OpCode::Fused);
    if (length < kParallelRun || run.edges_each == 0 || !rule_form) continue;
    bool reads_itself = false;
    for (std::uint32_t i = run.begin; i < run.end && !reads_itself; ++i) {
      for (const std::uint32_t s : operand_slots(cp, cp.code[i])) {
        reads_itself = reads_itself || (s >= first + run.begin && s < first + run.end);
      }
    }
    if (reads_itself) continue;
    std::uint8_t split = kSplit;
    const auto id = static_cast<std::uint32_t>(r);
    for (std::uint32_t c = 0; c < run.edges_each; ++c) {
      const std::uint32_t shared = cp.edge_slot[run.edge + c];
      bool all_shared = true;
      for (std::uint32_t i = 0; i < length && all_shared; ++i) {
        all_shared = cp.edge_slot[run.edge + i * run.edges_each + c] == shared;
      }
      if (all_shared) split |= c == 0 ? kSharedFirst : kSharedSecond;
    }
    for (std::uint32_t c = 0; c < run.edges_each && split != 0; ++c) {
      if ((split & (c == 0 ? kSharedFirst : kSharedSecond)) != 0) continue;
      for (std::uint32_t i = 0; i < length; ++i) {
        const std::uint32_t target = cp.edge_slot[run.edge + i * run.edges_each + c];
        if (stamp[target] == id) {  // reached twice: parts of the run would race on it
          split = 0;
          break;
        }
        stamp[target] = id;
      }
    }
    run.split = split;
  }
}

}  // namespace slope::detail
