#pragma once
/// \file
/// (internal) The log densities of the language (Density in functions.hpp): one element's
/// log p(y | parameters), written once for doubles and for Vars with the derivative rules the
/// rest of the language uses, so their gradients come from those rules (and are checked by
/// the same tests). Forms are chosen for stability: log1p for log(1 + z^2), softplus for
/// log(1 + e^a), and log(e^eta + phi) = log phi + softplus(eta - log phi).

#include <numbers>
#include <span>

#include <slope/autodiff/ops/all.hpp>

#include "math.hpp"
#include "slope/lang/functions.hpp"

namespace slope::lang::detail {

/// log p(x[0] | x[1], ...) for one element; x holds the density's arguments in Stan's order.
template <class T>
T log_density(Density density, std::span<const T> x) {
  constexpr double kLogPi = 1.1447298858494002;          // log(pi)
  constexpr double kHalfLogTwoPi = 0.91893853320467274;  // log(2 pi) / 2
  const auto log = [](const T& v) { return apply_unary<Log>(v); };
  const auto log1p = [](const T& v) { return apply_unary<Log1p>(v); };
  const auto lgamma = [](const T& v) { return apply_unary<Lgamma>(v); };
  const auto softplus = [](const T& v) { return apply_unary<Softplus>(v); };
  switch (density) {
    case Density::Normal: {  // y, mu, sigma
      const T z = (x[0] - x[1]) / x[2];
      return -0.5 * (z * z) - log(x[2]) - kHalfLogTwoPi;
    }
    case Density::StudentT: {  // y, nu, mu, sigma
      const T& nu = x[1];
      const T z = (x[0] - x[2]) / x[3];
      return lgamma(0.5 * (nu + 1.0)) - lgamma(0.5 * nu) - 0.5 * log(nu) - 0.5 * kLogPi - log(x[3]) -
             0.5 * (nu + 1.0) * log1p(z * z / nu);
    }
    case Density::Cauchy: {  // y, mu, sigma
      const T z = (x[0] - x[1]) / x[2];
      return -kLogPi - log(x[2]) - log1p(z * z);
    }
    case Density::Exponential: return log(x[1]) - x[1] * x[0];  // y, beta
    case Density::Gamma:                                         // y, alpha, beta
      return x[1] * log(x[2]) - lgamma(x[1]) + (x[1] - 1.0) * log(x[0]) - x[2] * x[0];
    case Density::Beta:  // y, a, b
      return lgamma(x[1] + x[2]) - lgamma(x[1]) - lgamma(x[2]) + (x[1] - 1.0) * log(x[0]) +
             (x[2] - 1.0) * log1p(-x[0]);
    case Density::Lognormal: {  // y, mu, sigma
      const T log_y = log(x[0]);
      const T z = (log_y - x[1]) / x[2];
      return -0.5 * (z * z) - log(x[2]) - kHalfLogTwoPi - log_y;
    }
    case Density::BernoulliLogit: return x[0] * x[1] - softplus(x[1]);  // n, alpha: n log s + (1 - n) log(1 - s)
    case Density::BinomialLogit:                                           // n, N, alpha
      return lgamma(x[1] + 1.0) - lgamma(x[0] + 1.0) - lgamma(x[1] - x[0] + 1.0) + x[0] * x[2] -
             x[1] * softplus(x[2]);
    case Density::PoissonLog: return x[0] * x[1] - apply_unary<Exp>(x[1]) - lgamma(x[0] + 1.0);  // n, alpha
    case Density::NegBinomial2Log: {  // n, eta, phi
      const T& n = x[0];
      const T& phi = x[2];
      const T log_phi = log(phi);
      const T log_mu_plus_phi = log_phi + softplus(x[1] - log_phi);  // log(e^eta + phi)
      return lgamma(n + phi) - lgamma(n + 1.0) - lgamma(phi) + n * x[1] + phi * log_phi - (n + phi) * log_mu_plus_phi;
    }
    case Density::None: break;
  }
  return T(0.0);
}

}  // namespace slope::lang::detail
