#pragma once
/// \file
/// Checks shared by the operation-family tests (exp_log, trig, special, power): a checked tape's
/// DomainError, IEEE behaviour on a default tape, and hand-worked values at known points.

#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>

#include <optional>
#include <string_view>
#include <vector>

#include "support/check_derivative.hpp"

namespace slope::test {

/// A unary operation on Vars, e.g. slope::log.
using Unary = Var (*)(Var);

/// Records f(x) on a checked tape for an active x: it must throw DomainError naming `op`, with
/// exactly `message`.
template <class F>
void check_domain_error(F f, double x, std::string_view op, std::string_view message) {
  Tape tape;
  auto recording = tape.record({.checked = true});
  const Var v = tape.input(x);
  BOOST_CHECK_EXCEPTION(f(v), DomainError, [&](const DomainError& e) {
    BOOST_TEST(e.operation() == op);
    BOOST_TEST(std::string_view(e.what()) == message);
    return e.operation() == op && std::string_view(e.what()) == message;
  });
}
/// \overload for an operation given by name (an overload set such as slope::log).
inline void check_domain_error(Unary f, double x, std::string_view op, std::string_view message) {
  check_domain_error<Unary>(f, x, op, message);
}

/// Records f(x) on a default tape: IEEE behaviour, no exception, the given value and (when
/// given) derivative.
inline void check_ieee(Unary f, double x, double value, std::optional<double> derivative) {
  Tape tape;
  auto recording = tape.record();
  const Var v = tape.input(x);
  Var y;
  BOOST_REQUIRE_NO_THROW(y = f(v));
  tape.backward(y);
  BOOST_TEST(close(y.value(), value, kExact), "value " << y.value() << " vs " << value);
  if (derivative) {
    BOOST_TEST(close(tape.adjoint(v), *derivative, kExact), "derivative " << tape.adjoint(v) << " vs " << *derivative);
  }
}

/// A value and derivative worked out by hand at a point where they have a closed form.
struct Known {
  std::string_view op;
  Unary f;
  OpCode code;
  double x;
  double value;
  double derivative;
};

/// The tape's value and derivative equal the hand-worked ones, and the node has the op code.
inline void check_known(const Known& k) {
  BOOST_TEST_CONTEXT(k.op << " at " << k.x) {
    const auto [value, grad] = tape_gradient([&k](auto xs) { return k.f(xs[0]); }, std::vector<double>{k.x}, {});
    BOOST_TEST(close(value, k.value, kExact), "value " << value << " vs " << k.value);
    BOOST_TEST(close(grad[0], k.derivative, kExact), "derivative " << grad[0] << " vs " << k.derivative);
    Tape tape;
    auto recording = tape.record({.fuse = false});
    static_cast<void>(k.f(tape.input(k.x)));
    BOOST_TEST((tape.operation(static_cast<std::uint32_t>(tape.size() - 1)) == k.code));
  }
}

}  // namespace slope::test
