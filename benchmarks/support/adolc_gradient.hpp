#pragma once
/// \file
/// AdolcGradient: one gradient of a kernel with ADOL-C (the Debian package libadolc-dev, 2.7),
/// the way its manual takes one, in two forms:
///  - trace: trace_on / adouble / trace_off at the point, then a reverse sweep. Like Slope's
///    gradient it re-records at every call, so it follows any control flow. trace_on(tag, 1)
///    keeps the forward values for an immediate reverse sweep (fos_reverse), which spares the
///    extra forward replay that gradient(tag, n, x, g) would run on the fresh tape.
///  - replay: the tape recorded once (at x0), evaluated at new inputs by zos_forward +
///    fos_reverse, which is exactly gradient(tag, n, x, g) plus the function's value. ADOL-C
///    tapes comparisons (kernel c's max): when one comes out differently at the new point it
///    aborts the forward sweep and asks for a new tape, which replay() then records at that
///    point, as its manual recommends (a reverse sweep after an aborted forward one crashes).

#include <adolc/adouble.h>
#include <adolc/interfaces.h>
#include <adolc/taping.h>

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "kernels/kernel.hpp"

/// Lets the kernels' passive_value() read an adouble's value, by argument-dependent lookup: it
/// must be in adouble's namespace, the global one.
inline double value(const adouble& x) noexcept { return x.getValue(); }

namespace slope::bench {

/// What ADOL-C's tape holds after one recording, from tapestats().
struct AdolcTapeStats {
  std::size_t operations = 0;  ///< 1 byte each on the operations tape
  std::size_t locations = 0;   ///< sizeof(locint) = 4 bytes each
  std::size_t values = 0;      ///< constants, 8 bytes each
  std::size_t taylors = 0;     ///< forward values kept for the reverse sweep, 8 bytes each
  bool file_access = false;    ///< a tape outgrew its buffer and went to disk

  /// Bytes of the trace itself (operations, locations, constants).
  [[nodiscard]] std::size_t trace_bytes() const noexcept {
    return operations + sizeof(locint) * locations + sizeof(double) * values;
  }
  /// Bytes a reverse sweep needs: the trace and the kept forward values.
  [[nodiscard]] std::size_t bytes() const noexcept { return trace_bytes() + sizeof(double) * taylors; }
};

/// A kernel's value and gradient by ADOL-C. `trace_tag` is re-recorded at each trace() call;
/// `replay_tag` is recorded once, by tape_for_replay().
template <Kernel K>
class AdolcGradient {
 public:
  AdolcGradient(const K& kernel, short trace_tag, short replay_tag)
      : kernel_(kernel), trace_tag_(trace_tag), replay_tag_(replay_tag), xs_(kernel.x0.size()) {}

  /// Records f at x on the trace tag and sweeps back: returns f(x), writes df/dx into grad.
  double trace(std::span<const double> x, std::span<double> grad) {
    const double y = record(trace_tag_, x, /*keep=*/1);
    double weight = 1.0;
    fos_reverse(trace_tag_, 1, n(), &weight, grad.data());
    return y;
  }

  /// Records f at x on the replay tag, once, untimed.
  void tape_for_replay(std::span<const double> x) { record(replay_tag_, x, /*keep=*/0); }

  /// Evaluates the replay tape at x: returns f(x), writes df/dx into grad. If a recorded
  /// comparison comes out differently at x, records a new tape at x instead (retapes() counts
  /// these).
  double replay(std::span<const double> x, std::span<double> grad) {
    double y = 0.0;
    if (zos_forward(replay_tag_, 1, n(), /*keep=*/1, x.data(), &y) < 0) {
      ++retapes_;
      y = record(replay_tag_, x, /*keep=*/1);
    }
    double weight = 1.0;
    fos_reverse(replay_tag_, 1, n(), &weight, grad.data());
    return y;
  }

  /// How many replay() calls had to record a new tape.
  [[nodiscard]] std::size_t retapes() const noexcept { return retapes_; }

  /// The trace tag's tape after the last trace() call.
  [[nodiscard]] AdolcTapeStats trace_stats() const {
    std::array<std::size_t, STAT_SIZE> stats{};
    tapestats(trace_tag_, stats.data());
    return {stats[NUM_OPERATIONS], stats[NUM_LOCATIONS], stats[NUM_VALUES], stats[TAY_STACK_SIZE],
            stats[OP_FILE_ACCESS] != 0 || stats[LOC_FILE_ACCESS] != 0 || stats[VAL_FILE_ACCESS] != 0};
  }

 private:
  [[nodiscard]] int n() const noexcept { return static_cast<int>(xs_.size()); }

  double record(short tag, std::span<const double> x, int keep) {
    double y = 0.0;
    trace_on(tag, keep);
    for (std::size_t i = 0; i < xs_.size(); ++i) xs_[i] <<= x[i];
    adouble result = kernel_.evaluate(std::span<const adouble>(xs_));
    result >>= y;
    trace_off();
    return y;
  }

  const K& kernel_;
  short trace_tag_;
  short replay_tag_;
  std::vector<adouble> xs_;  // the independents, kept across recordings like Slope's input Vars
  std::size_t retapes_ = 0;
};

}  // namespace slope::bench
