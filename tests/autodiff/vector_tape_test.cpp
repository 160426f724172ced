// Vector nodes on the tape: outputs are never folded into, constants record nothing, sizes and
// tapes are checked, checked mode names the operation, rewinds and partial sweeps, external
// operations in the same sweep, the bytes they take, and their replayable form inside
// slope::Function::record (one instruction per reduction and per matrix row).
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "support/check_derivative.hpp"
#include "support/finite_difference.hpp"
#include "vector_points.hpp"

using slope::ConstMatrixView;
using slope::Tape;
using slope::Var;
using slope::test::close;
using slope::test::kSameRule;
using slope::test::point;
using slope::test::tape_gradient;

BOOST_AUTO_TEST_SUITE(vector_nodes_on_the_tape)

BOOST_AUTO_TEST_CASE(outputs_are_never_folded_into) {
  // 2 * sum(x) must not rescale anything in place: the sum's node has no edges to rescale, and
  // folding into it would lose the factor 2.
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>{1.0, 2.0, 3.0});
  const Var y = 2.0 * slope::sum(x) + 1.0;
  tape.backward(y);
  for (const Var& xi : x) BOOST_TEST(tape.adjoint(xi) == 2.0);
  BOOST_TEST(y.value() == 13.0);
  BOOST_TEST((tape.operation(3) == slope::OpCode::Sum));
}

BOOST_AUTO_TEST_CASE(constants_only_record_nothing_and_need_no_tape) {
  const std::vector<Var> x{Var(1.0), Var(2.0)};
  std::vector<Var> out(2);
  BOOST_TEST(slope::sum(x).value() == 3.0);
  BOOST_TEST(slope::sum(x).is_constant());
  slope::exp(x, out);
  BOOST_TEST(out[1].is_constant());
  BOOST_TEST(out[1].value() == std::exp(2.0));
  const std::vector<double> data{1.0, 2.0, 3.0, 4.0};
  slope::matvec(ConstMatrixView(data.data(), 2, 2), x, out);
  BOOST_TEST(out[0].value() == 5.0);
  BOOST_TEST(out[1].value() == 11.0);
}

BOOST_AUTO_TEST_CASE(sizes_that_do_not_match_throw) {
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>{1.0, 2.0});
  std::vector<Var> out(3);
  const std::vector<double> c{1.0};
  BOOST_CHECK_THROW(slope::dot(x, c), slope::ShapeError);
  BOOST_CHECK_THROW(slope::exp(x, out), slope::ShapeError);
  const std::vector<double> data(6);
  BOOST_CHECK_THROW(slope::matvec(ConstMatrixView(data.data(), 2, 3), x, out), slope::ShapeError);
  BOOST_CHECK_THROW(slope::matvec(ConstMatrixView(data.data(), 1, 2, 3, 2), x, std::span<Var>(out).first(1)),
                    slope::ShapeError);
}

BOOST_AUTO_TEST_CASE(checked_tapes_name_the_vector_operation) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const std::vector<Var> x = tape.inputs(std::vector<double>{1.0, -1.0});
  std::vector<Var> out(2);
  BOOST_CHECK_EXCEPTION(slope::log(x, out), slope::DomainError,
                        [](const slope::DomainError& e) { return e.operation() == "log"; });
  BOOST_CHECK_EXCEPTION(slope::divide(x, Var(0.0), out), slope::DomainError,
                        [](const slope::DomainError& e) { return e.operation() == "div"; });
  // A failed operation leaves the tape usable.
  const Var s = slope::sum(x);
  tape.backward(s);
  BOOST_TEST(tape.adjoint(x[1]) == 1.0);
}

BOOST_AUTO_TEST_CASE(a_var_without_a_tape_throws) {
  std::vector<Var> x(2);
  {
    Tape tape;
    auto recording = tape.record();
    tape.inputs(std::vector<double>{1.0, 2.0}, x);
  }
  BOOST_CHECK_THROW(slope::sum(x), slope::TapeError);
}

BOOST_AUTO_TEST_CASE(rewinding_and_recording_again_gives_the_same_gradients) {
  constexpr std::size_t rows = 9;
  constexpr std::size_t cols = 5;
  const std::vector<double> X = point(rows * cols, 0.2);
  const auto f = [&](std::span<const Var> w, std::span<Var> z, std::span<Var> p) {
    slope::matvec(ConstMatrixView(X.data(), rows, cols), w, z);
    slope::add(z, w[0], z);
    slope::exp(z, p);
    return slope::sum(p) * w[1] + slope::dot(w, w);
  };
  Tape tape;
  auto recording = tape.record();
  std::vector<Var> w(cols), z(rows), p(rows);
  tape.inputs(point(cols), w);
  const slope::TapePosition start = tape.position();
  std::vector<double> first(cols), again(cols);
  for (int round = 0; round < 4; ++round) {
    tape.rewind(start);
    const Var y = f(w, z, p);
    tape.backward(y);
    std::vector<double>& grad = round == 0 ? first : again;
    for (std::size_t j = 0; j < cols; ++j) grad[j] = tape.adjoint(w[j]);
  }
  for (std::size_t j = 0; j < cols; ++j) BOOST_TEST(first[j] == again[j]);
  const auto [value, fresh] = tape_gradient(
      [&](std::span<const Var> x) {
        std::vector<Var> zz(rows), pp(rows);
        return f(x, zz, pp);
      },
      point(cols), {});
  for (std::size_t j = 0; j < cols; ++j) BOOST_TEST(first[j] == fresh[j]);
  // Rewinding drops the vector nodes: the tape holds only the inputs again.
  tape.rewind(start);
  BOOST_TEST(tape.stats().nodes == cols);
}

BOOST_AUTO_TEST_CASE(a_sweep_from_an_output_inside_a_vector_node) {
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>{1.0, 2.0, 3.0});
  std::vector<Var> y(3);
  slope::multiply(x, x[1], y);  // y_i = x_i x_1
  tape.backward(y[2]);          // d y_2 = x_1 dx_2 + x_2 dx_1
  BOOST_TEST(tape.adjoint(x[0]) == 0.0);
  BOOST_TEST(tape.adjoint(x[1]) == 3.0);
  BOOST_TEST(tape.adjoint(x[2]) == 2.0);
  BOOST_TEST(tape.adjoint(y[2]) == 1.0);
}

BOOST_AUTO_TEST_CASE(vector_nodes_and_external_operations_share_a_sweep) {
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>{1.0, 2.0});
  std::vector<Var> e(2);
  slope::exp(x, e);
  const std::vector<double> doubled_values{2.0 * e[0].value(), 2.0 * e[1].value()};
  const std::vector<Var> doubled = slope::external_op(e, doubled_values, [](auto out_adj, auto in_adj) {
    for (std::size_t i = 0; i < 2; ++i) in_adj[i] += 2.0 * out_adj[i];
  });
  const Var y = slope::sum(doubled) + slope::squared_norm(x);
  tape.backward(y);
  BOOST_TEST(close(tape.adjoint(x[0]), 2.0 * std::exp(1.0) + 2.0, kSameRule));
  BOOST_TEST(close(tape.adjoint(x[1]), 2.0 * std::exp(2.0) + 4.0, kSameRule));
}

BOOST_AUTO_TEST_CASE(tape_bytes_count_the_vector_nodes) {
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>(100, 0.5));
  const std::size_t before = tape.stats().bytes;
  std::vector<Var> y(100);
  slope::exp(x, y);  // 100 output nodes (5 bytes) and 100 stored partials (8 bytes), no id list
  const std::size_t added = tape.stats().bytes - before;
  BOOST_TEST(added >= 100 * 13);
  BOOST_TEST(added <= 100 * 13 + 256);
}

BOOST_AUTO_TEST_CASE(a_function_records_one_instruction_per_reduction_and_matrix_row) {
  // Inside Function::record, sum, dot with data and each row of X w are linear combinations:
  // one instruction each, not one per element; the data are the coefficients (copied, so the
  // Function does not depend on X staying alive).
  std::vector<double> X(40 * 6), y(40);
  for (std::size_t k = 0; k < X.size(); ++k) X[k] = std::sin(0.37 * static_cast<double>(k));
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<double>(i % 2);
  auto f = [&](std::span<const Var> w) {
    std::vector<Var> z(40);
    slope::matvec(ConstMatrixView(X.data(), 40, 6), w, z);  // 40 instructions
    const Var data_fit = slope::dot(z, y);                   // 1
    slope::softplus(z, z);                                   // 40
    return data_fit - slope::sum(z);                         // 1 + the subtraction
  };
  const std::vector<double> w0{0.1, -0.2, 0.3, 0.0, 0.5, -0.1};
  slope::Function fn = slope::Function::record(f, w0);
  BOOST_TEST(fn.stats().kept == 40u + 1u + 40u + 1u + 1u);
  const auto [want, want_grad] = slope::value_and_gradient(f, w0);
  std::vector<double> grad(6);
  X.assign(X.size(), 0.0);  // the Function kept its own copy
  const slope::Evaluation e = fn.value_and_gradient(w0, grad);
  BOOST_TEST(close(e.value, want, kSameRule));
  for (std::size_t j = 0; j < 6; ++j) BOOST_TEST(close(grad[j], want_grad[j], kSameRule));
}
BOOST_AUTO_TEST_SUITE_END()
