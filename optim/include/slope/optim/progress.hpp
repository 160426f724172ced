#pragma once
/// \file
/// A ready-made progress printer for StopOptions::callback.

#include <cstddef>
#include <cstdio>

#include "slope/optim/options.hpp"

namespace slope {

/// A callback that prints "iteration, objective, gradient norm, step, evaluations" to `out`
/// every `every` iterations (a header first), and never stops the run.
IterationCallback progress_printer(std::FILE* out = stderr, std::size_t every = 1);

}  // namespace slope
