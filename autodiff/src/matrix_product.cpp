#include "matrix_product.hpp"

#include <algorithm>

#include "linear_map.hpp"
#include "vector_node.hpp"

namespace slope::detail {

void multiply(const MatrixProduct& m, const double* a, const double* b, double* c) noexcept {
  if (m.dot) {
    c[0] = dot4(a, b, m.inner);
    return;
  }
  multiply_matrices(m.rows, m.inner, m.cols, {a, m.inner, 1}, b, m.cols, c, m.cols, /*add=*/false);
}

void multiply_adjoint(const MatrixProduct& m, const double* a, const double* b, const double* cbar, double* work,
                      double* ga, double* gb) noexcept {
  if (m.dot) {
    const double adjoint = cbar[0];
    for (std::size_t k = 0; k < m.inner; ++k) ga[k] = adjoint * b[k];
    for (std::size_t k = 0; k < m.inner; ++k) gb[k] = adjoint * a[k];
    return;
  }
  // As VectorNodes::sweep_matmul: B transposed into `work` first, so that both products read rows.
  double* bt = work;
  for (std::size_t l = 0; l < m.inner; ++l) {
    for (std::size_t j = 0; j < m.cols; ++j) bt[j * m.inner + l] = b[l * m.cols + j];
  }
  multiply_matrices(m.rows, m.cols, m.inner, {cbar, m.cols, 1}, bt, m.inner, ga, m.inner, /*add=*/false);
  multiply_matrices(m.inner, m.rows, m.cols, {a, 1, m.inner}, cbar, m.cols, gb, m.cols, /*add=*/false);
}

void multiply_tangent(const MatrixProduct& m, const double* a, const double* b, const double* a_dot,
                      const double* b_dot, double* c_dot) noexcept {
  if (m.dot) {
    c_dot[0] = dot4(a_dot, b, m.inner) + dot4(a, b_dot, m.inner);
    return;
  }
  multiply_matrices(m.rows, m.inner, m.cols, {a_dot, m.inner, 1}, b, m.cols, c_dot, m.cols, /*add=*/false);
  multiply_matrices(m.rows, m.inner, m.cols, {a, m.inner, 1}, b_dot, m.cols, c_dot, m.cols, /*add=*/true);
}

}  // namespace slope::detail
