#include "output.hpp"

#include <fmt/format.h>

#include <vector>

namespace slope::cli {

nlohmann::ordered_json params_json(const lang::Model& model, std::span<const double> flat) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const lang::ParameterInfo& param : model.parameters()) {
    const std::span<const double> values = flat.subspan(param.offset, param.shape.size());
    if (param.shape.rank == 0) {
      out[param.name] = values[0];
    } else if (param.shape.rank == 1) {
      out[param.name] = std::vector<double>(values.begin(), values.end());
    } else {
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (std::size_t r = 0; r < param.shape.rows; ++r) {
        const auto row = values.subspan(r * param.shape.cols, param.shape.cols);
        rows.push_back(std::vector<double>(row.begin(), row.end()));
      }
      out[param.name] = std::move(rows);
    }
  }
  return out;
}

std::string number_text(double value) { return fmt::format("{:.10g}", value); }

namespace {

std::string row_text(std::span<const double> values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i == 0 ? "" : ", ") + number_text(values[i]);
  return out + "]";
}

}  // namespace

std::string params_text(const lang::Model& model, std::span<const double> flat) {
  std::string out;
  for (const lang::ParameterInfo& param : model.parameters()) {
    const std::span<const double> values = flat.subspan(param.offset, param.shape.size());
    if (param.shape.rank == 0) {
      out += fmt::format("  {} = {}\n", param.name, number_text(values[0]));
    } else if (param.shape.rank == 1) {
      out += fmt::format("  {} = {}\n", param.name, row_text(values));
    } else {
      const std::string indent(param.name.size() + 6, ' ');
      for (std::size_t r = 0; r < param.shape.rows; ++r) {
        const std::string row = row_text(values.subspan(r * param.shape.cols, param.shape.cols));
        out += r == 0 ? fmt::format("  {} = [{}", param.name, row) : fmt::format("{}{}", indent, row);
        out += r + 1 == param.shape.rows ? "]\n" : ",\n";
      }
    }
  }
  return out;
}


}  // namespace slope::cli
