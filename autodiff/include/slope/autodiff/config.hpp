#pragma once
/// \file
/// Build configuration of the autodiff core: SLOPE_DEBUG_CHECKS and the inlining hints of
/// the recording hot path.

#ifndef SLOPE_DEBUG_CHECKS
#ifdef NDEBUG
#define SLOPE_DEBUG_CHECKS 0
#else
/// 1: every operand is checked to belong to the active tape (not a destroyed, foreign or
/// rewound one). Defaults to on in debug builds; define it to 0 or 1 to choose.
#define SLOPE_DEBUG_CHECKS 1
#endif
#endif

#if defined(__GNUC__) || defined(__clang__)
/// Forces inlining of the few functions every recorded operation runs through: left to its
/// heuristics, GCC keeps them out of line, and a call per operation costs more than the work.
#define SLOPE_ALWAYS_INLINE [[gnu::always_inline]] inline
/// Keeps a rarely taken path (checked mode, growth, errors) out of the hot code.
#define SLOPE_COLD [[gnu::cold, gnu::noinline]]
/// Gives the user's function a frame of its own (value_and_gradient): inlined into a large
/// caller, its loops were short of registers and kept a running sum in memory.
#define SLOPE_OWN_FRAME [[gnu::noinline]]
#else
#define SLOPE_ALWAYS_INLINE inline
#define SLOPE_COLD
#define SLOPE_OWN_FRAME
#endif
