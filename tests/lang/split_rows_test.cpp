// Models split over processes by rows (Model::split_rows), with the processes played by
// threads of this test and an all-reduce through shared memory in rank order, as the MPI one
// sums. The split value and gradient equal the whole model's, for every kind of reduction over
// rows; a model whose rows interact otherwise is refused at its place; a failure on one
// process stops every process.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <barrier>
#include <cmath>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "lang/support.hpp"
#include "support/finite_difference.hpp"

using slope::lang::Matrix;
using slope::lang::Model;
using slope::lang::RowSplit;
using slope::lang::test::kRowsHead;
using slope::lang::test::points_near_start;
using slope::test::close;

namespace {

constexpr std::size_t kRows = 23;
constexpr std::size_t kCols = 3;

/// K processes sharing one buffer: each adds its values in rank order, as slope::mpi does.
class SharedSum {
 public:
  explicit SharedSum(std::size_t processes) : processes_(processes), slots_(processes), barrier_(static_cast<std::ptrdiff_t>(processes)) {}

  int all_reduce(std::size_t rank, std::span<double> values, int status) {
    slots_[rank].assign(values.begin(), values.end());
    statuses_[rank] = status;
    barrier_.arrive_and_wait();
    std::vector<double> sum(values.size(), 0.0);
    int worst = 0;
    for (std::size_t r = 0; r < processes_; ++r) {
      for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += slots_[r][i];
      worst = std::max(worst, statuses_[r]);
    }
    barrier_.arrive_and_wait();  // everyone has read the slots before they are written again
    std::copy(sum.begin(), sum.end(), values.begin());
    return worst;
  }

 private:
  std::size_t processes_;
  std::vector<std::vector<double>> slots_;
  int statuses_[8] = {};
  std::barrier<> barrier_;
};

struct Data {
  std::vector<double> X, y;
  Data() : X(kRows * kCols), y(kRows) {
    for (std::size_t i = 0; i < X.size(); ++i) X[i] = std::sin(0.9 * static_cast<double>(i) + 0.2);
    for (std::size_t i = 0; i < kRows; ++i) y[i] = static_cast<double>(1 + (i * 7) % kCols);
  }
  /// The model on rows [begin, end).
  [[nodiscard]] Model model(const std::string& source, std::size_t begin, std::size_t end) const {
    Model m = Model::parse(source, "m.slope");
    m.bind_data("X", Matrix::from_row_major(std::span(X).subspan(begin * kCols, (end - begin) * kCols), end - begin,
                                            kCols, "X.csv"));
    if (source.find("data y") != std::string::npos) {
      Matrix block = Matrix::from_vector(std::span(y).subspan(begin, end - begin), "y.csv");
      block.first_row = begin;  // messages name rows of the whole file
      m.bind_data("y", std::move(block));
    }
    m.check();
    return m;
  }
};

struct Outcome {
  double value = 0;
  double value_in_doubles = 0;
  std::vector<double> gradient;
  std::string error;  // what() of the exception, "peer" for PeerFailure
};

/// Runs value_and_gradient at `theta` on `processes` threads, each with its block of rows.
std::vector<Outcome> run_split(const Data& data, const std::string& source, std::size_t processes,
                               const std::vector<std::vector<double>>& points) {
  SharedSum shared(processes);
  std::vector<Outcome> out(processes);
  std::vector<std::thread> threads;
  for (std::size_t rank = 0; rank < processes; ++rank) {
    threads.emplace_back([&, rank] {
      try {
        Model m = data.model(source, kRows * rank / processes, kRows * (rank + 1) / processes);
        m.split_rows(RowSplit{"n", kRows, [&, rank](std::span<double> v, int s) { return shared.all_reduce(rank, v, s); }});
        for (const auto& theta : points) {
          out[rank].gradient.assign(theta.size(), 0.0);
          out[rank].value = m.value_and_gradient(theta, out[rank].gradient);
          out[rank].value_in_doubles = m.value(theta);
        }
      } catch (const slope::lang::PeerFailure&) {
        out[rank].error = "peer";
      } catch (const std::exception& e) {
        out[rank].error = e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();  // Boost.Test checks only here, on one thread
  return out;
}


}  // namespace

BOOST_AUTO_TEST_SUITE(split_rows)

BOOST_AUTO_TEST_CASE(every_reduction_over_rows_gives_the_whole_models_value_and_gradient) {
  const Data data;
  const std::vector<std::string> objectives = {
      "sum(y .* log_sigmoid(X * w + b) + (1 - y) .* log_sigmoid(-(X * w + b))) - 0.1 * dot(w, w)",  // logistic
      "mean((X * w + b - y) .^ 2) + n * log(s)",            // least squares; n is all the rows
      "normal_lpdf(y | X * w + b, s)",                      // a density over rows
      "sum(i in 1:n, log_softmax(X * W + c)[i, y[i]]) - sum(W .* W)",  // softmax, labels as indices
      "sum(i in 1:n, (dot(X[i], w) - y[i])^2 / n)",         // a loop over the rows
      "dot(X * w, y) + norm(X * w) + sum(col_means(tanh(X * W))) + sum(col_sums(X) .* w)",
      "sum((X' * (X * w - y)) .^ 2) + sum(row_sums(X * W) .* y) / n",
      "sum(softmax(X * W + c) .* (X * W)) + mean(X * W) + sum(row_means(X')) * b",
  };
  for (const std::string& objective : objectives) {
    const std::string source = kRowsHead + "maximize " + objective;
    BOOST_TEST_CONTEXT(objective) {
      const Model whole = data.model(source, 0, kRows);
      const auto points = points_near_start(whole);
      std::vector<double> expected(whole.parameter_count());
      const double value = whole.value_and_gradient(points.back(), expected);
      for (const std::size_t processes : {1u, 2u, 3u, 5u}) {
        const std::vector<Outcome> outcomes = run_split(data, source, processes, points);
        for (std::size_t rank = 0; rank < processes; ++rank) {
          BOOST_TEST_REQUIRE(outcomes[rank].error.empty(), outcomes[rank].error);
          // Every process has the same bits; they equal the whole model up to summation order.
          BOOST_TEST(outcomes[rank].value == outcomes[0].value);
          BOOST_TEST(close(outcomes[rank].value_in_doubles, outcomes[rank].value, {.rtol = 1e-13, .atol = 1e-13}));
          BOOST_TEST(outcomes[rank].gradient == outcomes[0].gradient, boost::test_tools::per_element());
        }
        BOOST_TEST(close(outcomes[0].value, value, {.rtol = 1e-12, .atol = 1e-12}), processes << ": " << outcomes[0].value);
        for (std::size_t j = 0; j < expected.size(); ++j) {
          BOOST_TEST(close(outcomes[0].gradient[j], expected[j], {.rtol = 1e-11, .atol = 1e-12}),
                     processes << " processes, " << j << ": " << outcomes[0].gradient[j] << " vs " << expected[j]);
        }
        // The same number of processes gives the same bits again.
        const std::vector<Outcome> again = run_split(data, source, processes, points);
        BOOST_TEST(again[0].value == outcomes[0].value);
        BOOST_TEST(again[0].gradient == outcomes[0].gradient, boost::test_tools::per_element());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_model_whose_rows_interact_otherwise_is_refused_at_its_place) {
  const Data data;
  auto refusal = [&](const std::string& objective) {
    return slope::lang::test::error_of<slope::lang::CheckError>([&] {
      Model m = data.model(kRowsHead + "maximize " + objective, 0, 10);
      m.split_rows(RowSplit{"n", kRows, [](std::span<double>, int) { return 0; }});
    });
  };
  const std::string cannot = "error: the rows of this model cannot be split over processes: ";
  BOOST_TEST(refusal("sum((y - mean(y)) .^ 2)") ==
             "m.slope:8:10: " + cannot + "this reduction over the rows contains another one (as in sum((x - mean(x))^2)), "
                                        "so the rows of one process depend on those of the others");
  BOOST_TEST(refusal("y[1] * b") == "m.slope:8:10: " + cannot +
                                        "it reads rows by number; only the index of 'sum(i in 1:n, ...)' and ':' may "
                                        "pick rows when they are split over processes");
  BOOST_TEST(refusal("sum(i in 1:n, sum(j in 1:n, y[i] * y[j]))").find("pairs rows of different processes") !=
             std::string::npos);
  BOOST_TEST(refusal("sum(i in 2:n, y[i] - y[i - 1])").find("a loop over some of the rows") != std::string::npos);
  BOOST_TEST(refusal("log_sum_exp(X * w)").find("log_sum_exp over the rows") != std::string::npos);
  BOOST_TEST(refusal("sum(softmax(X * w))").find("'softmax' here mixes the rows of all processes") != std::string::npos);
  // Initial values computed from the rows differ between processes.
  BOOST_TEST(slope::lang::test::error_of<slope::lang::CheckError>([&] {
               Model m = data.model("data X[n, d]\ndata y[n]\nparam b = mean(y)\nminimize (b - 1)^2", 0, 10);
               m.split_rows(RowSplit{"n", kRows, [](std::span<double>, int) { return 0; }});
             }).find("computed before optimization from the rows") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failure_on_one_process_stops_every_process) {
  Data data;
  data.y[20] = 2.5;  // a label that is not an integer, in the last block
  const std::string source = kRowsHead + "maximize sum(i in 1:n, log_softmax(X * W + c)[i, y[i]])";
  const Model whole = data.model(kRowsHead + "maximize sum(X * w)", 0, kRows);
  const std::vector<Outcome> outcomes = run_split(data, source, 3, {std::vector<double>(whole.parameter_count(), 0.1)});
  BOOST_TEST(outcomes[0].error == "peer");
  BOOST_TEST(outcomes[1].error == "peer");
  BOOST_TEST(outcomes[2].error.find("row 21 of data 'y' (from y.csv) is 2.5, which cannot be an index") !=
                 std::string::npos,
             outcomes[2].error);
}

BOOST_AUTO_TEST_SUITE_END()
