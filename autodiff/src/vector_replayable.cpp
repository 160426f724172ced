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

Var linear(std::span<const Var> x, std::span<const double> c) {
  if (x.empty()) return Var(0.0);
  // The value as the replay computes it (left to right), so that both agree bit for bit.
  double value = c[0] * x[0].value();
  for (std::size_t k = 1; k < x.size(); ++k) value += c[k] * x[k].value();
  return require_active_tape().nary(x, value, c, OpCode::Fused);
}

Var dot(std::span<const Var> a, std::span<const Var> b) {
  std::vector<Var> products(a.size());
  for (std::size_t k = 0; k < a.size(); ++k) products[k] = a[k] * b[k];
  return slope::sum(products);  // the replay's sum: four accumulators, as the vector node's dot
}

Var squared_norm(std::span<const Var> x) {
  std::vector<Var> squares(x.size());
  for (std::size_t k = 0; k < x.size(); ++k) squares[k] = slope::square(x[k]);
  return slope::sum(squares);
}

void matmul(std::span<const Var> A, std::span<const Var> B, std::size_t rows, std::size_t inner, std::size_t cols,
            std::span<Var> C) {
  std::vector<Var> products(inner);
  const std::vector<double> ones(inner, 1.0);
  std::vector<Var> result(rows * cols);  // C may alias A or B
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      for (std::size_t l = 0; l < inner; ++l) products[l] = A[i * inner + l] * B[l * cols + j];
      result[i * cols + j] = linear(products, ones);  // summed over l in order, as the vector node
    }
  }
  std::copy(result.begin(), result.end(), C.begin());
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
