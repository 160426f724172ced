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
/// Σ_i log_softmax(X W + b)[i, y_i] − λ Σ W² for x = (W [cols, classes] row-major, b), X rows ×
/// cols row-major (referenced), labels 1..classes (gathered from the log-probabilities).
Gradient softmax_regression(const std::vector<double>& X, const std::vector<double>& labels, std::size_t rows,
                            std::size_t cols, std::size_t classes, double lambda);
/// mean((tanh(X W1 + b1) w2 + c − y)²) + decay (Σ W1² + Σ w2²) for x = (W1 [cols, hidden]
/// row-major, b1, w2, c), X rows × cols row-major (referenced).
Gradient two_layer_network(const std::vector<double>& X, const std::vector<double>& y, std::size_t rows,
                           std::size_t cols, std::size_t hidden, double decay);

}  // namespace slope::bench::torch_peer
