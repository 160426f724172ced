// Functions recorded by one piece of code over blocks of data of one shape share their compiled
// arrays (Function::share_memory_with) and keep their own results, bit for bit; one workspace
// moved between functions of several shapes (as a model's blocks of rows use it) gives the same
// bits as a fresh workspace per function.
#include <boost/test/unit_test.hpp>

#include <slope/autodiff.hpp>
#include <slope/autodiff/function.hpp>

#include <cmath>
#include <cstring>
#include <span>
#include <vector>

using slope::ConstMatrixView;
using slope::Var;

namespace {

constexpr std::size_t kCols = 4;

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

/// The rows [first, first + rows) of a data set: what one block of a model evaluates. Its data
/// enter every way a program keeps numbers: a referenced matrix (X w), a copied passive vector
/// (dot with y), constants (y[0] w[1]), linear combinations, a comparison of two Vars.
struct Block {
  std::vector<double> X, y;
  Block(std::size_t first, std::size_t rows) : X(rows * kCols), y(rows) {
    for (std::size_t k = 0; k < X.size(); ++k) X[k] = std::sin(0.37 * static_cast<double>(first * kCols + k) + 0.1);
    for (std::size_t i = 0; i < rows; ++i) y[i] = std::cos(1.3 * static_cast<double>(first + i)) > 0 ? 1.0 : 0.0;
  }
  Var operator()(std::span<const Var> theta) const {
    const std::size_t rows = y.size();
    const std::span<const Var> w = theta.first(kCols);
    const Var& b = theta[kCols];
    std::vector<Var> z(rows), soft(rows), terms(rows);
    slope::matvec(ConstMatrixView(X.data(), rows, kCols), w, z);
    for (std::size_t i = 0; i < rows; ++i) z[i] = z[i] + b;
    for (std::size_t i = 0; i < rows; ++i) soft[i] = slope::softplus(z[i]);
    for (std::size_t i = 0; i < rows; ++i) terms[i] = soft[i] - 0.5 * z[i] + 0.01 * slope::abs(z[i]);
    const Var peak = b > w[0] ? b : w[0];  // a recorded decision, the same in every block
    return slope::sum(terms) - slope::dot(z, std::span<const double>(y)) + y[0] * w[1] * w[1] + 0.1 * peak * peak;
  }
};

struct Result {
  double value = 0;
  std::vector<double> gradient, hv, pulled;
};

/// Value, gradient, Hessian-vector product and a vector-Jacobian product of f at theta, on ws.
Result evaluate(const slope::Function& f, const std::vector<double>& theta, slope::Function::Workspace& ws) {
  Result r;
  r.gradient.resize(theta.size());
  r.hv.resize(theta.size());
  r.pulled.resize(theta.size());
  std::vector<double> v(theta.size());
  for (std::size_t j = 0; j < v.size(); ++j) v[j] = std::sin(2.0 + static_cast<double>(j));
  const slope::Evaluation e = f.value_and_gradient(theta, r.gradient, ws);
  BOOST_TEST(e.ok());
  r.value = e.value;
  BOOST_TEST((f.hessian_vector_product(theta, v, r.hv, ws) == slope::ReplayStatus::Ok));
  double y = 0;
  BOOST_TEST((f.evaluate_for_vjp(theta, std::span<double>(&y, 1), ws) == slope::ReplayStatus::Ok));
  const double weight = -1.5;
  f.vector_jacobian_product(std::span<const double>(&weight, 1), r.pulled, ws);
  return r;
}

bool same(const Result& a, const Result& b) {
  return same_bits(std::span<const double>(&a.value, 1), std::span<const double>(&b.value, 1)) &&
         same_bits(a.gradient, b.gradient) && same_bits(a.hv, b.hv) && same_bits(a.pulled, b.pulled);
}

const std::vector<double> kTheta = {0.3, -0.2, 0.5, 0.1, -0.4};

}  // namespace

BOOST_AUTO_TEST_SUITE(function_sharing)

BOOST_AUTO_TEST_CASE(functions_of_one_shape_share_their_arrays_and_keep_their_own_results) {
  std::vector<Block> blocks;
  for (std::size_t b = 0; b < 6; ++b) blocks.emplace_back(b * 50, 50);
  std::vector<slope::Function> functions;
  std::vector<Result> expected;
  for (const Block& block : blocks) {
    functions.push_back(slope::Function::record(block, kTheta));
    slope::Function::Workspace fresh;
    expected.push_back(evaluate(functions.back(), kTheta, fresh));
  }
  BOOST_TEST(!same(expected[0], expected[1]));  // different data, different results
  const slope::Function before = functions[1];  // a copy made before sharing keeps its program
  for (std::size_t b = 1; b < functions.size(); ++b) BOOST_TEST(functions[b].share_memory_with(functions[0]));
  BOOST_TEST(functions[0].share_memory_with(functions[0]));
  BOOST_TEST(functions[2].share_memory_with(functions[1]));  // shared already, through functions[0]
  slope::Function::Workspace moved;  // one workspace, moved between the functions in turn
  for (int round = 0; round < 2; ++round) {
    for (std::size_t b = 0; b < functions.size(); ++b) {
      BOOST_TEST_CONTEXT("block " << b << ", round " << round) {
        BOOST_TEST(same(evaluate(functions[b], kTheta, moved), expected[b]));
      }
    }
  }
  slope::Function::Workspace fresh;
  BOOST_TEST(same(evaluate(before, kTheta, fresh), expected[1]));
}

BOOST_AUTO_TEST_CASE(functions_of_other_shapes_share_nothing_and_one_workspace_serves_them_all) {
  const Block small(0, 20), large(20, 70), other_data(90, 20);
  slope::Function f = slope::Function::record(small, kTheta);
  const slope::Function g = slope::Function::record(large, kTheta);
  slope::Function h = slope::Function::record(other_data, kTheta);
  slope::Function::Workspace fresh_f, fresh_g, fresh_h;
  const Result rf = evaluate(f, kTheta, fresh_f), rg = evaluate(g, kTheta, fresh_g), rh = evaluate(h, kTheta, fresh_h);
  BOOST_TEST(!f.share_memory_with(g));
  BOOST_TEST(h.share_memory_with(f));
  slope::Function::Workspace moved;  // laid out for the large program first, then smaller ones
  for (int round = 0; round < 2; ++round) {
    BOOST_TEST(same(evaluate(g, kTheta, moved), rg));
    BOOST_TEST(same(evaluate(f, kTheta, moved), rf));
    BOOST_TEST(same(evaluate(h, kTheta, moved), rh));
  }
  // A comparison that flips is still seen by a function sharing another's arrays.
  std::vector<double> far = kTheta;
  far[0] = -0.6;  // now b > w[0]
  std::vector<double> gradient(kTheta.size());
  BOOST_TEST(!h.value_and_gradient(far, gradient, moved).ok());
}

BOOST_AUTO_TEST_SUITE_END()
