#pragma once
/// \file
/// Methods with per-coordinate adaptive steps: Adam, AdaGrad, RMSProp.

namespace slope {

/// Adam (Kingma & Ba 2015): bias-corrected running means of g and g^2,
/// x <- x - step_size m_hat / (sqrt(v_hat) + epsilon).
struct Adam {
  double step_size = 1e-3;
  double beta1 = 0.9;     ///< in [0, 1)
  double beta2 = 0.999;   ///< in [0, 1)
  double epsilon = 1e-8;  ///< > 0
};

/// AdaGrad: G <- G + g^2; x <- x - step_size g / (sqrt(G) + epsilon).
struct AdaGrad {
  double step_size = 1e-2;
  double epsilon = 1e-8;
};

/// RMSProp: v <- decay v + (1 - decay) g^2; x <- x - step_size g / (sqrt(v) + epsilon).
struct RmsProp {
  double step_size = 1e-3;
  double decay = 0.9;  ///< in [0, 1)
  double epsilon = 1e-8;
};

/// Throw slope::ArgumentError naming the first parameter out of range.
void validate(const Adam& method);
/// \overload
void validate(const AdaGrad& method);
/// \overload
void validate(const RmsProp& method);

}  // namespace slope
