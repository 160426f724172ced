#include "peers/torch_peer.hpp"

#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <numbers>

namespace slope::bench::torch_peer {

namespace {

torch::Tensor leaf(std::span<const double> x) {
  return torch::from_blob(const_cast<double*>(x.data()), {static_cast<std::int64_t>(x.size())}, torch::kFloat64)
      .clone()
      .requires_grad_(true);
}

/// Runs `f` on a leaf made from x, sweeps, and copies the gradient out.
template <class F>
Gradient with_leaf(F f) {
  return [f](std::span<const double> x, std::span<double> grad) {
    torch::Tensor xt = leaf(x);
    torch::Tensor y = f(xt);
    y.backward();
    std::memcpy(grad.data(), xt.grad().data_ptr<double>(), sizeof(double) * grad.size());
    return y.item<double>();
  };
}

torch::Tensor passive(const std::vector<double>& v, std::vector<std::int64_t> shape) {
  return torch::from_blob(const_cast<double*>(v.data()), shape, torch::kFloat64);  // no copy: v outlives it
}

}  // namespace

void use_one_thread() {
  at::set_num_threads(1);
  at::set_num_interop_threads(1);
}

Gradient sum(std::size_t) {
  return with_leaf([](const torch::Tensor& x) { return x.sum(); });
}

Gradient log_sum_exp(std::size_t) {
  return with_leaf([](const torch::Tensor& x) { return torch::logsumexp(x, 0); });
}

Gradient matrix_product(std::size_t size) {
  const auto n = static_cast<std::int64_t>(size);
  return with_leaf([n](const torch::Tensor& x) {
    const torch::Tensor a = x.slice(0, 0, n * n).view({n, n});
    const torch::Tensor b = x.slice(0, n * n, 2 * n * n).view({n, n});
    return a.mm(b).sum();
  });
}

Gradient normal_log_density(const std::vector<double>& y) {
  const auto n = static_cast<std::int64_t>(y.size());
  const torch::Tensor yt = passive(y, {n});
  // log σ once per observation, as kernel e's primal and Slope's vector form take it:
  // log(√(2π)·σ) = log σ + ½log(2π) over a broadcast of σ (not n·log σ, one log).
  const torch::Tensor scale = torch::full({n}, std::sqrt(2.0 * std::numbers::pi), torch::kFloat64);
  return with_leaf([yt, scale](const torch::Tensor& x) {
    const torch::Tensor mu = x[0];
    const torch::Tensor sigma = x[1];
    const torch::Tensor z = (yt - mu) / sigma;
    return -0.5 * (z * z).sum() - torch::log(scale * sigma).sum();
  });
}

Gradient logistic(const std::vector<double>& X, const std::vector<double>& y, std::size_t rows, std::size_t cols) {
  const auto r = static_cast<std::int64_t>(rows);
  const auto c = static_cast<std::int64_t>(cols);
  const torch::Tensor Xt = passive(X, {r, c});
  const torch::Tensor yt = passive(y, {r});
  return with_leaf([Xt, yt, c](const torch::Tensor& x) {
    const torch::Tensor z = Xt.mv(x.slice(0, 0, c)) + x[c];
    // −BCE with logits = Σ y z − softplus(z): the formula of Slope's vector form, divided by the
    // primal and hand-written gradient of that formula (see vector_nodes.cpp).
    return -torch::binary_cross_entropy_with_logits(z, yt, {}, {}, at::Reduction::Sum);
  });
}

Gradient softmax_regression(const std::vector<double>& X, const std::vector<double>& labels, std::size_t rows,
                            std::size_t cols, std::size_t classes, double lambda) {
  const auto r = static_cast<std::int64_t>(rows);
  const auto c = static_cast<std::int64_t>(cols);
  const auto k = static_cast<std::int64_t>(classes);
  const torch::Tensor Xt = passive(X, {r, c});
  // The labels as 0-based column indices, [rows, 1] for gather; made once, not timed.
  const torch::Tensor index = (passive(labels, {r, 1}).to(torch::kInt64) - 1).contiguous();
  return with_leaf([Xt, index, c, k, lambda](const torch::Tensor& x) {
    const torch::Tensor W = x.slice(0, 0, c * k).view({c, k});
    const torch::Tensor b = x.slice(0, c * k, c * k + k);
    const torch::Tensor log_p = torch::log_softmax(Xt.mm(W) + b, 1);
    return log_p.gather(1, index).sum() - lambda * (W * W).sum();
  });
}

Gradient two_layer_network(const std::vector<double>& X, const std::vector<double>& y, std::size_t rows,
                           std::size_t cols, std::size_t hidden, double decay) {
  const auto r = static_cast<std::int64_t>(rows);
  const auto c = static_cast<std::int64_t>(cols);
  const auto h = static_cast<std::int64_t>(hidden);
  const torch::Tensor Xt = passive(X, {r, c});
  const torch::Tensor yt = passive(y, {r});
  return with_leaf([Xt, yt, c, h, decay](const torch::Tensor& x) {
    const torch::Tensor W1 = x.slice(0, 0, c * h).view({c, h});
    const torch::Tensor b1 = x.slice(0, c * h, c * h + h);
    const torch::Tensor w2 = x.slice(0, c * h + h, c * h + 2 * h);
    const torch::Tensor c0 = x[c * h + 2 * h];
    const torch::Tensor H = torch::tanh(Xt.mm(W1) + b1);
    const torch::Tensor e = H.mv(w2) + c0 - yt;
    return (e * e).mean() + decay * ((W1 * W1).sum() + (w2 * w2).sum());
  });
}

}  // namespace slope::bench::torch_peer
