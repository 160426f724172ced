// A user's program on slope::lang: a model from text, data in memory and from JSON text, fitted
// by slope::optimize. Links only slope::lang (which brings autodiff and optim); the JSON reader's
// dependency stays inside the library.
#include <slope/lang/json_data.hpp>
#include <slope/lang/model.hpp>
#include <slope/optim.hpp>

#include <fmt/format.h>

#include <cmath>
#include <vector>

int main() {
  slope::lang::Model model = slope::lang::Model::parse(
      "data x[n]\ndata y[n]\nconst c = 0\nparam a = 0\nparam b = 0\nminimize sum((y - a * x - b) .^ 2) + c\n",
      "line.slope");
  model.bind_data("x", slope::lang::Matrix::from_vector(std::vector<double>{0, 1, 2, 3}));
  model.bind_all(slope::lang::parse_json_data(R"({"y": [1, 3, 5, 7], "c": 2})", "y.json"), "y.json");
  const slope::Result r = slope::optimize(model.objective(), model.initial_point(), model.sense());
  fmt::print("a = {}, b = {}, objective {}: {}\n", r.x[0], r.x[1], r.value, slope::to_string(r.status));
  const bool ok = r.converged() && std::fabs(r.x[0] - 2.0) < 1e-6 && std::fabs(r.x[1] - 1.0) < 1e-6 &&
                  std::fabs(r.value - 2.0) < 1e-9;
  return ok ? 0 : 1;
}
