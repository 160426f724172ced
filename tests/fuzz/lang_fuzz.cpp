// libFuzzer target: arbitrary bytes through Model::parse, bind_data and check, then evaluation
// at the initial point (plain, taped, checked) when that is cheap. A slope::Error is the
// expected outcome for most inputs; any other exception, a crash, a leak or a hang is a bug.
// Built only with -DSLOPE_BUILD_FUZZERS=ON and clang (see tests/fuzz/CMakeLists.txt).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <slope/lang/errors.hpp>
#include <slope/lang/lexer.hpp>
#include <slope/lang/model.hpp>

namespace {

/// Small data for every declaration, so that inputs get past "data has no values" into the
/// checking of shapes, dimensions and expressions that use data.
void bind_some_data(slope::lang::Model& model) {
  for (const slope::lang::DataDeclaration& declaration : model.data_declarations()) {
    const std::size_t rows = declaration.rank == 0 ? 1 : 3;
    const std::size_t cols = declaration.rank == 2 ? 2 : 1;
    model.bind_data(declaration.name, slope::lang::Matrix{rows, cols, std::vector<double>(rows * cols, 0.5), "fuzz.csv"});
  }
}

/// Whether evaluating the model is bounded by its size: no sum/prod over a range (whose
/// bounds the input picks freely), few parameters, and no product of large matrices. Declared
/// sizes bound every value except a product's: `A[1, 1275]` makes `A' * A` a 1275 x 1275
/// matrix (1.6 million outputs, over 10 s under the sanitizers, 0.4 s in a release build), work
/// the input asks for rather than a hang. With every number at most 256, a product has at most
/// 65536 outputs.
bool cheap_to_evaluate(std::string_view source, const slope::lang::Model& model) {
  if (model.parameter_count() > 4096) return false;
  bool has_product = false;
  double largest_number = 0.0;
  slope::lang::Lexer lexer(source, "fuzz.slope");
  for (slope::lang::Token token = lexer.next(); token.kind != slope::lang::TokenKind::End; token = lexer.next()) {
    if (token.kind == slope::lang::TokenKind::In) return false;
    if (token.kind == slope::lang::TokenKind::Star) has_product = true;
    if (token.kind == slope::lang::TokenKind::Number) {
      largest_number = std::max(largest_number, std::strtod(std::string(token.text).c_str(), nullptr));
    }
  }
  return !has_product || largest_number <= 256.0;
}

/// Whether the input names a number above 65536 (after the lexer, so in any spelling):
/// `param w[100000000]` is a legitimate model whose check alone fills 100 million bounds, work
/// the input asks for rather than a hang. Such inputs are still parsed, not checked.
bool asks_for_large_sizes(std::string_view source) {
  slope::lang::Lexer lexer(source, "fuzz.slope");
  for (slope::lang::Token token = lexer.next(); token.kind != slope::lang::TokenKind::End; token = lexer.next()) {
    if (token.kind != slope::lang::TokenKind::Number) continue;
    const double value = std::strtod(std::string(token.text).c_str(), nullptr);
    if (!(value <= 65536.0)) return true;  // NaN too
  }
  return false;
}

void evaluate(const slope::lang::Model& model) {
  const std::vector<double> x = model.initial_point();
  std::vector<double> gradient(x.size());
  (void)model.value(x);
  (void)model.value_and_gradient(x, gradient);
  try {
    (void)model.value_and_gradient(x, gradient, true);
  } catch (const slope::lang::EvaluationError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  try {
    slope::lang::Model model = slope::lang::Model::parse(source, "fuzz.slope");
    if (asks_for_large_sizes(source)) return 0;
    bind_some_data(model);
    model.check();
    (void)model.sense();
    if (cheap_to_evaluate(source, model)) evaluate(model);
  } catch (const slope::lang::Error& error) {
    // Rendering must cope with any location an error reports.
    (void)slope::lang::render(error, source);
  } catch (const slope::Error&) {
  }
  return 0;
}
