// The tape itself: inputs and constants, positions and rewinding, several tapes and nested
// recordings, sweeps with several seeds, misuse reported as TapeError, Var as a double.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <limits>
#include <sstream>
#include <vector>

using slope::Tape;
using slope::TapeError;
using slope::Var;

namespace {
bool mentions(const std::exception& e, std::string_view text) {
  return std::string_view(e.what()).find(text) != std::string_view::npos;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(tape)

BOOST_AUTO_TEST_CASE(constants_cost_no_tape_space) {
  Tape tape;
  auto recording = tape.record();
  const Var c = 2.0;
  const Var d = exp(c) * 3.0 + sin(c) - c / 4;
  BOOST_TEST(c.is_constant());
  BOOST_TEST(d.is_constant());
  BOOST_TEST(d.value() == std::exp(2.0) * 3.0 + std::sin(2.0) - 0.5);
  BOOST_TEST(tape.size() == 0U);
}

BOOST_AUTO_TEST_CASE(constants_need_no_tape_at_all) {
  const Var c = 2.0;
  BOOST_TEST(log(c * c).value() == std::log(4.0));
}

BOOST_AUTO_TEST_CASE(adjoints_reads_a_gradient_in_one_call) {
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>{1.0, 2.0, 3.0});
  const Var y = x[0] * x[1] + 5.0 * x[2];
  tape.backward(y);
  std::vector<double> g(3);
  tape.adjoints(x, g);  // consecutive ids: one copy
  BOOST_TEST(g == (std::vector<double>{2.0, 1.0, 5.0}), boost::test_tools::per_element());
  // Any other order, repeats and constants take the element-by-element path.
  const std::vector<Var> mixed{x[2], Var(4.0), x[0], x[0]};
  std::vector<double> h(4);
  tape.adjoints(mixed, h);
  BOOST_TEST(h == (std::vector<double>{5.0, 0.0, 2.0, 2.0}), boost::test_tools::per_element());
  BOOST_CHECK_THROW(tape.adjoints(x, std::span<double>(h).first(2)), slope::TapeError);
  // Nodes recorded after the sweep have no adjoint yet, in either path.
  const std::vector<Var> later = tape.inputs(std::vector<double>{1.0, 1.0});
  BOOST_CHECK_THROW(tape.adjoints(later, std::span<double>(h).first(2)), slope::TapeError);
  const std::vector<Var> reversed{later[1], later[0]};
  BOOST_CHECK_THROW(tape.adjoints(reversed, std::span<double>(h).first(2)), slope::TapeError);
}

BOOST_AUTO_TEST_CASE(inputs_are_nodes_in_order) {
  Tape tape;
  auto recording = tape.record();
  const std::vector<Var> x = tape.inputs(std::vector<double>{1.0, 2.0, 3.0});
  BOOST_TEST(tape.size() == 3U);
  for (std::size_t i = 0; i < x.size(); ++i) {
    BOOST_TEST(x[i].value() == static_cast<double>(i + 1));
    BOOST_TEST(!x[i].is_constant());
    BOOST_TEST((tape.operation(static_cast<std::uint32_t>(i)) == slope::OpCode::Input));
  }
  std::vector<Var> out(2);
  BOOST_CHECK_THROW(tape.inputs(std::vector<double>{1.0}, out), TapeError);
}

BOOST_AUTO_TEST_CASE(stats_count_nodes_edges_and_bytes) {
  Tape tape;
  auto recording = tape.record({.fuse = false});
  const Var x = tape.input(1.0);
  const Var y = tape.input(2.0);
  const Var z = x * y;
  static_cast<void>(z);
  const slope::TapeStats stats = tape.stats();
  BOOST_TEST(stats.nodes == 3U);
  BOOST_TEST(stats.edges == 2U);
  BOOST_TEST(stats.bytes == 3U * 5U + 2U * 12U);  // 1+4 bytes a node, 4+8 an edge
  BOOST_TEST(stats.capacity_bytes >= stats.bytes);
}

BOOST_AUTO_TEST_CASE(rewind_reuses_the_recording_for_a_new_evaluation) {
  Tape tape;
  auto recording = tape.record();
  std::vector<Var> x(2);
  tape.inputs(std::vector<double>{1.0, 2.0}, x);
  const slope::TapePosition start = tape.position();
  for (int round = 0; round < 3; ++round) {
    tape.rewind(start);
    const double w = 1.0 + round;
    const Var y = x[0] * x[1] * w + exp(x[0]);
    tape.backward(y);
    BOOST_TEST(tape.adjoint(x[0]) == 2.0 * w + std::exp(1.0));
    BOOST_TEST(tape.adjoint(x[1]) == 1.0 * w);
  }
  const std::size_t capacity = tape.stats().capacity_bytes;
  tape.clear();
  BOOST_TEST(tape.size() == 0U);
  BOOST_TEST(tape.stats().capacity_bytes == capacity);
}

BOOST_AUTO_TEST_CASE(rewinding_forward_is_an_error) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(1.0);
  const slope::TapePosition later = [&] {
    const Var y = x * x;
    static_cast<void>(y);
    return tape.position();
  }();
  tape.clear();
  BOOST_CHECK_EXCEPTION(tape.rewind(later), TapeError, [](const TapeError& e) { return mentions(e, "rewind"); });
}

BOOST_AUTO_TEST_CASE(backward_with_several_seeds_gives_a_vector_jacobian_product) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(0.5);
  const Var y1 = sin(x);
  const Var y2 = x * x;
  tape.backward(std::vector<Var>{y1, y2}, std::vector<double>{2.0, -1.0});
  BOOST_TEST(tape.adjoint(x) == 2.0 * std::cos(0.5) - 1.0);
  BOOST_CHECK_THROW(tape.backward(std::vector<Var>{y1}, std::vector<double>{}), TapeError);
}

BOOST_AUTO_TEST_CASE(a_second_sweep_starts_from_zero_adjoints) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(3.0);
  const Var y = x * x;
  tape.backward(y);
  tape.backward(y);
  BOOST_TEST(tape.adjoint(x) == 6.0);
  tape.backward(y, 0.5);
  BOOST_TEST(tape.adjoint(x) == 3.0);
}

BOOST_AUTO_TEST_CASE(adjoint_before_a_sweep_is_an_error) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(3.0);
  BOOST_CHECK_EXCEPTION(static_cast<void>(tape.adjoint(x)), TapeError,
                        [](const TapeError& e) { return mentions(e, "backward"); });
  BOOST_TEST(tape.adjoint(Var(1.0)) == 0.0);
}

BOOST_AUTO_TEST_CASE(operations_without_an_active_tape_throw) {
  Var x;
  {
    Tape tape;
    auto recording = tape.record();
    x = tape.input(1.0);
  }
  BOOST_CHECK_EXCEPTION(static_cast<void>(Var(x * 2.0)), TapeError,
                        [](const TapeError& e) { return mentions(e, "no tape recording"); });
}

BOOST_AUTO_TEST_CASE(nested_recordings_restore_the_previous_tape) {
  Tape outer;
  Tape inner;
  auto outer_recording = outer.record();
  const Var x = outer.input(2.0);
  {
    auto inner_recording = inner.record();
    const Var y = inner.input(5.0);
    const Var z = y * y;
    inner.backward(z);
    BOOST_TEST(inner.adjoint(y) == 10.0);
    BOOST_TEST(outer.size() == 1U);
  }
  const Var w = x * x * x;
  outer.backward(w);
  BOOST_TEST(outer.adjoint(x) == 12.0);
}

BOOST_AUTO_TEST_CASE(recording_options_are_restored_when_a_recording_ends) {
  Tape tape;
  auto plain = tape.record();
  {
    auto checked = tape.record({.checked = true});
    BOOST_TEST(tape.checked());
  }
  BOOST_TEST(!tape.checked());
}

#if SLOPE_DEBUG_CHECKS
BOOST_AUTO_TEST_CASE(a_var_from_another_tape_is_reported) {
  Tape first;
  Tape second;
  Var x;
  {
    auto recording = first.record();
    x = first.input(1.0);
  }
  auto recording = second.record();
  BOOST_CHECK_EXCEPTION(static_cast<void>(Var(x * 2.0)), TapeError,
                        [](const TapeError& e) { return mentions(e, "another tape"); });
}

BOOST_AUTO_TEST_CASE(a_var_from_a_destroyed_tape_is_reported) {
  Var x;
  {
    Tape dead;
    auto recording = dead.record();
    x = dead.input(1.0);
  }
  Tape fresh;
  auto recording = fresh.record();
  BOOST_CHECK_THROW(static_cast<void>(Var(x + 1.0)), TapeError);
}

BOOST_AUTO_TEST_CASE(a_var_from_a_rewound_part_of_the_tape_is_reported) {
  Tape tape;
  auto recording = tape.record();
  const Var x = tape.input(1.0);
  const slope::TapePosition start = tape.position();
  const Var y = x * x;
  tape.rewind(start);
  BOOST_CHECK_EXCEPTION(static_cast<void>(Var(y * 2.0)), TapeError,
                        [](const TapeError& e) { return mentions(e, "rewound"); });
}
#endif

BOOST_AUTO_TEST_CASE(var_prints_and_formats_its_value) {
  const Var x = 1.25;
  std::ostringstream out;
  out << x;
  BOOST_TEST(out.str() == "1.25");
  BOOST_TEST(fmt::format("{:.3f}", x) == "1.250");
}

BOOST_AUTO_TEST_CASE(numeric_limits_follow_double) {
  BOOST_TEST(std::numeric_limits<Var>::epsilon().value() == std::numeric_limits<double>::epsilon());
  BOOST_TEST(std::numeric_limits<Var>::infinity().value() == std::numeric_limits<double>::infinity());
  BOOST_TEST(std::numeric_limits<Var>::is_specialized);
  BOOST_TEST(std::numeric_limits<Var>::digits == std::numeric_limits<double>::digits);
}

BOOST_AUTO_TEST_CASE(value_reads_doubles_and_vars_alike) {
  BOOST_TEST(slope::value(2.5) == 2.5);
  BOOST_TEST(slope::value(Var(2.5)) == 2.5);
}

BOOST_AUTO_TEST_SUITE_END()
