// Vector nodes on the tape: outputs are never folded into, constants record nothing, sizes and
// tapes are checked, checked mode names the operation, rewinds and partial sweeps, external
// operations in the same sweep, the bytes they take, and their replayable form inside
// slope::Function::record (vector instructions that reference their matrix).
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

BOOST_AUTO_TEST_CASE(a_function_replays_linear_vector_operations_as_maps_that_reference_their_matrix) {
  // Inside Function::record, sum, dot with data and X w are vector instructions: one step
  // each whose outputs are one slot per element; X is referenced (as the tape's vector node
  // does: it must outlive the Function), a passive span is copied once (it may be a temporary).
  std::vector<double> X(40 * 6), y(40);
  for (std::size_t k = 0; k < X.size(); ++k) X[k] = std::sin(0.37 * static_cast<double>(k));
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<double>(i % 2);
  auto f = [&](std::span<const Var> w) {
    std::vector<Var> z(40);
    slope::matvec(ConstMatrixView(X.data(), 40, 6), w, z);  // 40 slots, one vector instruction
    const Var data_fit = slope::dot(z, y);                   // 1, one vector instruction
    slope::softplus(z, z);                                   // 40 scalar instructions
    return data_fit - slope::sum(z);                         // 1 + the subtraction
  };
  const std::vector<double> w0{0.1, -0.2, 0.3, 0.0, 0.5, -0.1};
  slope::Function fn = slope::Function::record(f, w0);
  BOOST_TEST(fn.stats().kept == 40u + 1u + 40u + 1u + 1u);
  BOOST_TEST(fn.stats().vector_operations == 3u);
  BOOST_TEST(fn.stats().edges == 40u + 2u);  // softplus and the subtraction; the maps have none
  const std::vector<double> w1{-0.3, 0.2, 0.1, 0.4, -0.5, 0.2};
  for (const auto& w : {w0, w1}) {
    const auto [want, want_grad] = slope::value_and_gradient(f, w);
    std::vector<double> grad(6);
    const slope::Evaluation e = fn.value_and_gradient(w, grad);
    BOOST_TEST(e.value == want);  // the same loops as the vector nodes: the same bits
    for (std::size_t j = 0; j < 6; ++j) BOOST_TEST(close(grad[j], want_grad[j], kSameRule));
  }
  // X referenced: the replay sees a change of X; y was copied: a change of y is not seen.
  for (std::size_t k = 0; k < X.size(); ++k) X[k] = std::cos(0.21 * static_cast<double>(k));
  const std::vector<double> y_recorded = y;
  y.assign(y.size(), 0.5);
  std::vector<double> grad(6);
  const slope::Evaluation changed = fn.value_and_gradient(w1, grad);
  y = y_recorded;
  const auto [want, want_grad] = slope::value_and_gradient(f, w1);
  BOOST_TEST(changed.value == want);
  for (std::size_t j = 0; j < 6; ++j) BOOST_TEST(close(grad[j], want_grad[j], kSameRule));
}

BOOST_AUTO_TEST_CASE(common_subexpressions_are_computed_once) {
  // Each row's dot product with w, written twice (as a model's index sum does), and a scalar
  // expression repeated: the Function computes each once, with the live tape's values.
  std::vector<double> X(50 * 4);
  for (std::size_t k = 0; k < X.size(); ++k) X[k] = std::sin(0.3 * static_cast<double>(k));
  auto f = [&](std::span<const Var> w) {
    Var total = 0.0;
    for (std::size_t i = 0; i < 50; ++i) {
      const ConstMatrixView row(X.data() + 4 * i, 1, 4);
      Var first, second;
      slope::matvec(row, w, std::span<Var>(&first, 1));
      slope::matvec(row, w, std::span<Var>(&second, 1));
      total += slope::log_sigmoid(first + w[0] * w[1]) + slope::log_sigmoid(-(second + w[0] * w[1]));
    }
    return total;
  };
  const std::vector<double> w0{0.2, -0.4, 0.6, 0.1};
  const slope::Function fn = slope::Function::record(f, w0);
  BOOST_TEST(fn.stats().shared >= 50u + 49u);  // the second dot of each row, and w[0] w[1] after the first row
  BOOST_TEST(fn.stats().vector_operations == 1u);  // the rows joined into one matrix-vector product
  const auto [want, want_grad] = slope::value_and_gradient(f, w0);
  std::vector<double> grad(4);
  BOOST_TEST(close(fn.value_and_gradient(w0, grad).value, want, kSameRule));
  for (std::size_t j = 0; j < 4; ++j) BOOST_TEST(close(grad[j], want_grad[j], kSameRule));
}

BOOST_AUTO_TEST_CASE(vector_instructions_give_hessian_vector_products_and_survive_dead_code) {
  // vecmat and mean as maps inside a nonlinear function; a map whose outputs are unused is
  // dropped whole, one used in part is kept whole.
  std::vector<double> X(7 * 3);
  for (std::size_t k = 0; k < X.size(); ++k) X[k] = 0.3 + std::sin(1.3 * static_cast<double>(k));
  auto f = [&](std::span<const Var> w) {
    std::vector<Var> u(3), unused(7), dead(7);
    slope::vecmat(w, ConstMatrixView(X.data(), 7, 3), u);  // u = X' w
    slope::matvec(ConstMatrixView::column_major(X.data(), 7, 3), u, unused);  // a column-major view
    slope::matvec(ConstMatrixView(X.data(), 7, 3), u, dead);  // no output used: dropped
    const Var m = slope::mean(u);
    return m * m + u[0] * u[2] + slope::log(u[1] * u[1] + 1.0) + unused[3] * 0.0 * unused[5];
  };
  std::vector<double> w0(7);
  for (std::size_t i = 0; i < 7; ++i) w0[i] = 0.2 * static_cast<double>(i) - 0.5;
  const slope::Function fn = slope::Function::record(f, w0);
  BOOST_TEST(fn.stats().vector_operations == 3u);
  std::vector<double> v(7), hv(7), hv_fd(7), gp(7), gm(7);
  for (std::size_t i = 0; i < 7; ++i) v[i] = std::cos(static_cast<double>(i));
  BOOST_TEST((fn.hessian_vector_product(w0, v, hv) == slope::ReplayStatus::Ok));
  const double h = 1e-5;
  std::vector<double> wp(w0), wm(w0);
  for (std::size_t i = 0; i < 7; ++i) {
    wp[i] += h * v[i];
    wm[i] -= h * v[i];
  }
  (void)fn.gradient(wp, gp);
  (void)fn.gradient(wm, gm);
  for (std::size_t i = 0; i < 7; ++i) {
    hv_fd[i] = (gp[i] - gm[i]) / (2 * h);
    BOOST_TEST(std::abs(hv[i] - hv_fd[i]) <= 1e-6 * (1.0 + std::abs(hv_fd[i])));
  }
  const auto [want, want_grad] = slope::value_and_gradient(f, w0);
  std::vector<double> grad(7);
  BOOST_TEST(fn.value_and_gradient(w0, grad).value == want);
  for (std::size_t j = 0; j < 7; ++j) BOOST_TEST(close(grad[j], want_grad[j], kSameRule));
}

BOOST_AUTO_TEST_SUITE_END()
