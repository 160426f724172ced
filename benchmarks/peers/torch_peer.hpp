#pragma once
/// \file
/// libtorch (CPU, one thread) gradients of the benchmark kernels in tensor form. Declared here
/// without torch headers; torch_peer.cpp is compiled only when CMake finds Torch, and defines
/// SLOPE_BENCH_WITH_TORCH for the benchmarks that use it.

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace slope::bench::torch_peer {

/// Returns f(x) and writes df/dx into grad: leaf tensor from x, forward, backward, copy out.
using Gradient = std::function<double(std::span<const double> x, std::span<double> grad)>;

/// Makes libtorch use one thread (intra- and inter-op).
void use_one_thread();

/// sum(x).
Gradient sum(std::size_t n);
/// logsumexp(x).
Gradient log_sum_exp(std::size_t n);
/// sum(A.mm(B)) for x = (A, B), both size × size row-major.
Gradient matrix_product(std::size_t size);
/// Σ −½((y − μ)/σ)² − log σ − ½log 2π for x = (μ, σ).
Gradient normal_log_density(const std::vector<double>& y);
/// −BCEWithLogits(X w + b, y, sum) for x = (w, b), X rows × cols row-major (referenced).
Gradient logistic(const std::vector<double>& X, const std::vector<double>& y, std::size_t rows, std::size_t cols);

}  // namespace slope::bench::torch_peer
