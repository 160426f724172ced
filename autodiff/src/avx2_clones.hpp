#pragma once
/// \file
/// SLOPE_AVX2_CLONES: compiles a loop for AVX2 and for baseline x86-64, chosen at run time.
//
// SLOPE_AVX2_CLONES: a function compiled twice, for AVX2 and for the baseline x86-64 (SSE2),
// the clone chosen once per process by the CPU: a default build runs anywhere and still uses
// the wide registers where they exist. Lane by lane the arithmetic is the same (AVX2 brings no
// FMA to contract a multiply and an add into), so the bits do not depend on the clone. Clone
// only outer loops, with their bodies inlined: a dispatched call per element would cost what
// the wider registers save. Not under ThreadSanitizer: the clone is chosen by a resolver that
// runs while the program is being loaded, before that sanitizer's per-thread state exists, and
// its instrumented entry then crashes every program at start-up. Private header.
/// Marks a function to be compiled for AVX2 and for baseline x86-64, the CPU choosing (GCC only).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define SLOPE_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SLOPE_AVX2_CLONES
#endif
