// The forward replay of a compiled Function (dispatch.hpp's switch over OpCode with the same
// rule structs as recording), the re-check of recorded decisions, and the reverse sweep.
#include <algorithm>
#include <array>
#include <cmath>

#include "dispatch.hpp"
#include "program.hpp"

namespace slope::detail {

namespace {

/// Computes each instruction's value, and its partials when kPartials.
template <bool kPartials>
struct ValueStep {
  double* value;        // every slot
  double* out;          // the instructions' slots (value + C + n)
  double* partial;      // every edge
  double* scratch;      // n-ary operands and partials, a vector instruction's operands
  const std::uint32_t* nary;
  const double* coefficients;
  std::uint32_t constants;
  ForkJoin* team;       // splits large maps (null: serial)

  template <UnaryRule R>
  SLOPE_ALWAYS_INLINE void unary(const Instruction& ins, std::size_t i) {
    const double x = value[ins.a];
    if constexpr (kPartials && JointUnaryRule<R>) {  // one exponential instead of two
      const ValueAndPartial both = R::value_and_partial(x);
      out[i] = both.value;
      partial[ins.edge] = both.partial;
    } else {
      const double y = R::value(x);
      out[i] = y;
      if constexpr (kPartials) partial[ins.edge] = R::partial(x, y);
    }
  }

  /// A run of a VectorizedRule: its operands gathered a block at a time, then one vectorized
  /// loop writes the block's values and partials, which lie side by side (one edge each).
  template <VectorizedRule R>
  void unary_run(const Instruction* code, const InstructionRun& run) {
    constexpr std::uint32_t kBlock = 256;
    double x[kBlock];
    [[maybe_unused]] double unused_partials[kBlock];
    double* d = kPartials ? partial + code[run.begin].edge : unused_partials;
    for (std::uint32_t begin = run.begin; begin < run.end; begin += kBlock) {
      const std::uint32_t n = std::min(kBlock, run.end - begin);
      for (std::uint32_t k = 0; k < n; ++k) x[k] = value[code[begin + k].a];
      values_and_partials<R>(x, out + begin, d, n);
      if constexpr (kPartials) d += n;
    }
  }

  template <BinaryRule R, Form F>
  SLOPE_ALWAYS_INLINE void binary(const Instruction& ins, std::size_t i) {
    const double a = value[ins.a];
    const double b = value[ins.b];
    const double z = R::value(a, b);
    out[i] = z;
    if constexpr (kPartials) {
      double* d = partial + ins.edge;
      if constexpr (F == Form::Both) {
        d[0] = R::d_first(a, b, z);
        d[1] = R::d_second(a, b, z);
      } else if constexpr (F == Form::First) {
        d[0] = R::d_first(a, b, z);
      } else {
        d[0] = R::d_second(a, b, z);
      }
    }
  }

  /// Writes the partials of the active operands of an n-ary instruction.
  void active_partials(const Instruction& ins, const double* partials) const {
    double* d = partial + ins.edge;
    for (std::uint32_t k = 0; k < ins.b; ++k) {
      if (nary[ins.a + k] >= constants) *d++ = partials[k];
    }
  }

  template <TernaryRule R>
  void ternary(const Instruction& ins, std::size_t i) {
    const std::uint32_t* s = nary + ins.a;
    const double a = value[s[0]], b = value[s[1]], c = value[s[2]];
    out[i] = R::value(a, b, c);
    if constexpr (kPartials) active_partials(ins, R::partials(a, b, c).data());
  }

  /// A linear combination, left to right as recorded; its partials are the coefficients,
  /// written once per workspace (Function::prepare).
  void fused(const Instruction& ins, std::size_t i) {
    const std::uint32_t* s = nary + ins.a;
    const double* c = coefficients + ins.a;
    double sum = c[0] * value[s[0]];
    for (std::uint32_t k = 1; k < ins.b; ++k) sum += c[k] * value[s[k]];
    out[i] = sum;
  }

  /// A linear map or a product: gathers its operands and writes all its outputs (its partials
  /// are the map's matrix, which the reverse sweep reads in place, or the operands' values).
  void vector(const VectorInstruction& v, std::size_t i) {
    const std::uint32_t* s = nary + v.operands;
    const std::size_t inputs = v.inputs();
    for (std::size_t k = 0; k < inputs; ++k) scratch[k] = value[s[k]];
    if (v.bilinear) {
      multiply(v.product, scratch, scratch + v.product.a_size(), out + i);
      return;
    }
    if (v.map.rows == 1 && !v.map.transposed) {  // a sum or a dot product: what apply computes, inline
      out[i] = v.map.sum ? sum4(scratch, inputs) * v.map.scale : dot4(v.map.data, scratch, inputs);
      return;
    }
    apply(v.map, scratch, out + i, team);
  }

  template <VariadicRule R>
  void variadic(const Instruction& ins, std::size_t i) {
    const std::span<double> xs(scratch, ins.b);
    for (std::uint32_t k = 0; k < ins.b; ++k) xs[k] = value[nary[ins.a + k]];
    out[i] = R::value(std::span<const double>(xs));
    if constexpr (kPartials) {
      const std::span<double> partials(scratch + ins.b, ins.b);
      R::partials(std::span<const double>(xs), partials);
      active_partials(ins, partials.data());
    }
  }
};

/// The reverse sweep of a run marked kSplit (see mark_split_runs), cut into blocks of
/// kReduceBlock instructions handed out to the team's threads: edges into distinct slots are
/// added in place, those of a shared column summed per block, and the block sums added to the
/// shared slot in block order after the team is done.
void reverse_split(const InstructionRun& run, const std::uint32_t* arg, const double* partial,
                   const double* result_adjoint, double* adjoint, std::vector<double>& block_sums,
                   ForkJoin* team) {
  const std::uint32_t length = run.end - run.begin;
  const std::uint32_t each = run.edges_each;
  const std::size_t blocks = (length + kReduceBlock - 1) / kReduceBlock;
  const bool shared[2] = {(run.split & kSharedFirst) != 0, (run.split & kSharedSecond) != 0};
  if (block_sums.size() < 2 * blocks) block_sums.resize(2 * blocks);  // grows once, then stays
  double* sums = block_sums.data();
  const auto sweep_blocks = [&](std::size_t t, std::size_t n) {
    const auto [first_block, end_block] = part(blocks, t, n);
    for (std::size_t b = first_block; b < end_block; ++b) {
      double sum[2] = {0.0, 0.0};
      const std::uint32_t end = std::min<std::uint32_t>(length, static_cast<std::uint32_t>((b + 1) * kReduceBlock));
      for (auto i = static_cast<std::uint32_t>(b * kReduceBlock); i < end; ++i) {
        const double a = result_adjoint[run.begin + i];
        if (a == 0.0) continue;
        const std::uint32_t k = run.edge + i * each;
        for (std::uint32_t c = 0; c < each; ++c) {
          if (shared[c]) {
            sum[c] += partial[k + c] * a;
          } else {
            adjoint[arg[k + c]] += partial[k + c] * a;
          }
        }
      }
      sums[2 * b] = sum[0];
      sums[2 * b + 1] = sum[1];
    }
  };
  if (team != nullptr) {
    team->run(sweep_blocks);
  } else {
    sweep_blocks(0, 1);
  }
  for (std::uint32_t c = 0; c < each; ++c) {
    if (!shared[c]) continue;
    double total = sums[c];
    for (std::size_t b = 1; b < blocks; ++b) total += sums[2 * b + c];
    adjoint[arg[run.edge + c]] += total;
  }
}

}  // namespace

void vector_adjoint(const Program& p, const VectorInstruction& v, const double* value, const double* output_adjoint,
                    double* scratch, double* adjoint, ForkJoin* team) {
  const std::uint32_t* s = p.nary_operands.data() + v.operands;
  const std::size_t inputs = v.inputs();
  if (v.bilinear) {  // partials: the operands' values, gathered again
    const MatrixProduct& m = v.product;
    double* a = scratch;
    double* b = a + m.a_size();
    for (std::size_t k = 0; k < inputs; ++k) a[k] = value[s[k]];
    double* g = b + m.b_size();  // ga then gb, as the operands
    multiply_adjoint(m, a, b, output_adjoint, g + inputs, g, g + m.a_size());
    for (std::size_t k = 0; k < inputs; ++k) {
      if (!p.is_constant(s[k])) adjoint[s[k]] += g[k];
    }
    return;
  }
  if (v.map.rows == 1 && !v.map.transposed) {  // a sum or a dot product: apply_adjoint's numbers, inline
    const double a = output_adjoint[0];
    if (a == 0.0) return;
    for (std::size_t k = 0; k < inputs; ++k) {
      if (!p.is_constant(s[k])) adjoint[s[k]] += v.map.sum ? a * v.map.scale : a * v.map.data[k];
    }
    return;
  }
  apply_adjoint(v.map, output_adjoint, scratch, team);
  for (std::size_t k = 0; k < inputs; ++k) {
    if (!p.is_constant(s[k])) adjoint[s[k]] += scratch[k];
  }
}

namespace {

bool same(double a, double b) noexcept { return a == b || (std::isnan(a) && std::isnan(b)); }

bool holds(const Decision& g, const double* v) noexcept {
  const double a = v[g.a];
  const double b = v[g.b];
  switch (g.kind) {
    case DecisionKind::Order: return ordering_code(a <=> b) == g.outcome;
    case DecisionKind::Equal: return (a == b ? 1 : 0) == g.outcome;
    case DecisionKind::Floor: return same(std::floor(a), b);
    case DecisionKind::Ceil: return same(std::ceil(a), b);
    case DecisionKind::Round: return same(std::round(a), b);
    case DecisionKind::Trunc: return same(std::trunc(a), b);
  }
  return false;
}

}  // namespace

namespace {
template <class... Rules>
constexpr std::array<bool, sizeof...(Rules)> variadic_rules(RuleList<Rules...>) {
  return {VariadicRule<Rules>...};
}
}  // namespace

bool variadic_rule(OpCode op) noexcept {
  static constexpr auto kVariadic = variadic_rules(BuiltinRules{});
  return is_rule(op) && kVariadic[rule_index(op)];
}

ReplayStatus replay_forward(const Program& p, const double* x, WorkspaceData& ws, bool partials) {
  double* value = ws.value.data();
  std::copy_n(x, p.inputs, value + p.constants);
  double* out = value + p.constants + p.inputs;
  ForkJoin* team = ws.team.get();
  if (partials) {
    ValueStep<true> step{value,    out, ws.partial.data(), ws.scratch.data(), p.nary_operands.data(),
                         p.coefficients.data(), p.constants, team};
    dispatch(p, step, team);
  } else {
    ValueStep<false> step{value,    out, ws.partial.data(), ws.scratch.data(), p.nary_operands.data(),
                          p.coefficients.data(), p.constants, team};
    dispatch(p, step, team);
  }
  for (const Decision& g : p.decisions) {
    if (!holds(g, value)) return ReplayStatus::BranchChanged;
  }
  return ReplayStatus::Ok;
}

void replay_reverse(const Program& p, const double* seeds, WorkspaceData& ws) {
  double* const adjoint = ws.adjoint.data();
  std::fill(adjoint + p.constants, adjoint + p.slots(), 0.0);
  for (std::size_t k = 0; k < p.output_slot.size(); ++k) {
    if (!p.is_constant(p.output_slot[k])) adjoint[p.output_slot[k]] += seeds[k];
  }
  const Instruction* code = p.code.data();
  const std::uint32_t* arg = p.edge_slot.data();
  const double* partial = ws.partial.data();
  const double* result_adjoint = adjoint + p.constants + p.inputs;
  ForkJoin* team = ws.team.get();
  // A run whose instructions all have one (or two) edges has its edges side by side, so the
  // loop needs neither the instructions nor an inner loop. Every `a == 0` skip also stops
  // 0 * inf from turning unrelated adjoints into NaN.
  for (std::size_t r = p.runs.size(); r-- > 0;) {
    const InstructionRun& run = p.runs[r];
    if (run.form == Form::Vector) {  // each vector instruction at its first output, last one first
      // One instruction of several outputs (at run.begin), or single-output ones (see dispatch).
      const VectorInstruction& first = p.vectors[code[run.begin].a];
      if (first.outputs() > 1) {
        vector_adjoint(p, first, ws.value.data(), result_adjoint + run.begin, ws.scratch.data(), adjoint, team);
      } else {
        for (std::uint32_t i = run.end; i-- > run.begin;) {
          vector_adjoint(p, p.vectors[code[i].a], ws.value.data(), result_adjoint + i, ws.scratch.data(), adjoint,
                         team);
        }
      }
      continue;
    }
    // A split run with a shared column sums it by blocks even on one thread: the same bits.
    if ((run.split & (kSharedFirst | kSharedSecond)) != 0 || (team != nullptr && run.split != 0)) {
      reverse_split(run, arg, partial, result_adjoint, adjoint, ws.block_sums, team);
      continue;
    }
    switch (run.edges_each) {
      case 1:
        for (std::uint32_t i = run.end, k = run.edge + (run.end - run.begin); i-- > run.begin;) {
          --k;
          const double a = result_adjoint[i];
          if (a != 0.0) adjoint[arg[k]] += partial[k] * a;
        }
        break;
      case 2:
        for (std::uint32_t i = run.end, k = run.edge + 2 * (run.end - run.begin); i-- > run.begin;) {
          k -= 2;
          const double a = result_adjoint[i];
          if (a == 0.0) continue;
          adjoint[arg[k]] += partial[k] * a;
          adjoint[arg[k + 1]] += partial[k + 1] * a;
        }
        break;
      default:
        for (std::uint32_t i = run.end; i-- > run.begin;) {
          const double a = result_adjoint[i];
          if (a == 0.0) continue;
          const std::uint32_t end = code[i + 1].edge;
          for (std::uint32_t k = code[i].edge; k < end; ++k) adjoint[arg[k]] += partial[k] * a;
        }
        break;
    }
  }
}

}  // namespace slope::detail
