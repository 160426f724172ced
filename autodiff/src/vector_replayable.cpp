#include "vector_replayable.hpp"

#include <vector>

#include "slope/autodiff/ops/arithmetic.hpp"
#include "slope/autodiff/ops/power.hpp"
#include "slope/autodiff/tape.hpp"

namespace slope::detail::replayable {

bool active() noexcept {
  const Tape* tape = active_tape;
  return tape != nullptr && tape->replayable();
}

void broadcast(std::span<const Var> x, const double* passive, std::size_t n, const Var& s_in, std::span<Var> out,
               Op op) {
  const Var s = s_in;  // s may be an element of out
  for (std::size_t i = 0; i < n; ++i) {
    const Var v = passive != nullptr ? Var(passive[i]) : x[i];
    switch (op) {
      case Op::Add: out[i] = v + s; break;
      case Op::Sub: out[i] = v - s; break;
      case Op::Mul: out[i] = v * s; break;
      case Op::Div: out[i] = v / s; break;
    }
  }
}

void multiply(std::span<const Var> x, std::span<const double> c, std::span<Var> out) {
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] * c[i];
}

void elementwise(std::span<const Var> x, std::span<Var> out, ElementScalar f) {
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = f(x[i]);
}

}  // namespace slope::detail::replayable
