"""The report's sections on the `.slope` front end: what a model costs per evaluation against
the same gradient written by hand (slope_bench_lang: the logistic log-likelihood two ways, then
softmax regression and a two-layer network also against libtorch), and how fast the CSV reader
loads a table (slope_bench_csv).

Language figures are ratios of medians from the same run. CSV figures are rates (rows and
megabytes per second) from the median time and the table's size the binary prints: there is no
peer to divide by, and a rate says more to a reader than a time for a size they would have to
look up."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markdown import num, runs, table
from results import BinaryRun, ratio

# (key, numerator row, denominator row, what it says)
LANG_FIGURES = [
    ("vectorized/hand", "vectorized", "hand", "vectorized .slope / hand-written C++"),
    ("index_sum/vectorized", "index_sum", "vectorized", "index-sum .slope / vectorized .slope"),
    ("index_sum/hand", "index_sum", "hand", "index-sum .slope / hand-written C++"),
    ("parse/vectorized", "parse_and_check", "vectorized", "parse + check + bind / one vectorized evaluation"),
]


# The larger models: (row prefix, name in the binary's output and in the report).
LARGER_MODELS = [("softmax", "softmax regression"), ("network", "two-layer network")]
# (key, numerator row, denominator row, column header) of each larger model's figures.
LARGER_FIGURES = [
    ("slope/hand", "slope", "hand", "`.slope` / hand-written C++"),
    ("slope/torch", "slope", "torch", "`.slope` / libtorch"),
    ("torch/hand", "torch", "hand", "libtorch / hand-written C++"),
]


@dataclass
class LangFigures:
    values: dict[str, list[float]]  # LANG_FIGURES key -> one value per run
    size: str  # '2000 rows x 20 features', from the log
    # LARGER_MODELS key -> LARGER_FIGURES key -> one value per run (NaN where libtorch did not run)
    larger: dict[str, dict[str, list[float]]]
    larger_sizes: dict[str, str]  # LARGER_MODELS key -> '20000 rows x 20 features, 5 classes', from the log
    has_torch: bool  # some run timed libtorch


def lang_collect(run_list: list[BinaryRun]) -> LangFigures | None:
    ok = [r for r in run_list if r.ok and r.medians]
    if not ok:
        return None
    values = {key: [ratio(r.medians.get(a), r.medians.get(b)) for r in ok] for key, a, b, _ in LANG_FIGURES}
    size = ok[0].log_match(r"(\d+ rows x \d+ features)")
    larger, sizes = {}, {}
    for model, name in LARGER_MODELS:
        if not any(f"{model}/slope" in r.medians for r in ok):
            continue  # a binary from before these rows
        larger[model] = {key: [ratio(r.medians.get(f"{model}/{a}"), r.medians.get(f"{model}/{b}")) for r in ok]
                         for key, a, b, _ in LARGER_FIGURES}
        match = ok[0].log_match(rf"^{name}: (.+)$")
        sizes[model] = match.group(1) if match else "a data set"
    has_torch = any(f"{model}/torch" in r.medians for r in ok for model in larger)
    return LangFigures(values, size.group(1) if size else "a data set", larger, sizes, has_torch)


def lang_section(f: LangFigures) -> str:
    rows = [[what, runs(f.values[key])] for key, _, _, what in LANG_FIGURES]
    return ("## Language front end: `.slope` models\n\n"
            f"The logistic log-likelihood of kernel f, here on {f.size}, written as a `.slope` model two ways: "
            "*vectorized* (`X * w + b`) and as an *index sum* over rows (`sum(i in 1:n, ... dot(X[i], w) "
            "...)`). Each call is one value-and-gradient evaluation through `Model::value_and_gradient`, "
            "what every optimizer iteration pays; *hand-written* is the same gradient written in C++. The "
            "last row is the one-off cost of turning the source into a model, counted in evaluations. "
            "Ratios of medians from the same run, one cell per run; lower is better. The aim for the "
            "index-sum form is a small factor over the vectorized one (no numeric target).\n\n"
            + table(["figure", "value"], rows) + larger_section(f))


def larger_section(f: LangFigures) -> str:
    """Softmax regression and the two-layer network: the .slope model against the same formula
    written by hand and in libtorch."""
    if not f.larger:
        return ""
    names = dict(LARGER_MODELS)
    rows = []
    for model, figures in f.larger.items():
        cells = [runs(figures[key]) if f.has_torch or "torch" not in key else "libtorch not built"
                 for key, _, _, _ in LARGER_FIGURES]
        rows.append([f"{names[model]} ({f.larger_sizes[model]})"] + cells)
    return ("\n### Softmax regression and a two-layer network, against libtorch\n\n"
            "Two models as `examples/models/` writes them, at a realistic size on seeded data: softmax regression "
            "(`let LP = log_softmax(X * W + b)`, `maximize sum(i in 1:n, LP[i, y[i]]) - lambda * sum(W .* W)`) and "
            "a network with one tanh hidden layer (`let H = tanh(X * W1 + b1)`, `minimize mean(sq(H * w2 + c - y)) "
            "+ decay * (...)`). Each call is one value and gradient: the `.slope` model through "
            "`Model::value_and_gradient` (recorded at its first call, replayed after), the same formula written by "
            "hand in C++ (plain loops, `std::exp`, `std::tanh`), and libtorch (Debian's libtorch 1.13, CPU, "
            "`set_num_threads(1)`, double tensors, autograd's backward). All three are checked equal (relative "
            "1e-10 per component) before timing. Ratios of medians from the same run, one cell per run; lower is "
            "better for the first column (no numeric target).\n\n"
            + table(["model"] + [header for _, _, _, header in LARGER_FIGURES], rows))


@dataclass
class CsvFigures:
    rows: float  # rows in the table
    columns: float
    megabytes: float  # of text
    bytes_per_number: float  # heap bytes of the loaded matrix per number
    rates: dict[str, list[tuple[float, float]]]  # benchmark -> per run (rows/s, MB/s)


CSV_ROWS = [("parse", "parse_csv on the text in memory"), ("read", "read_csv from a file in the page cache"),
            ("select", "parse_csv keeping 3 of the 10 columns by name")]


def csv_collect(run_list: list[BinaryRun]) -> CsvFigures | None:
    ok = [r for r in run_list if r.ok and r.medians]
    if not ok:
        return None
    match = ok[0].log_match(r"csv: (\d+) rows x (\d+) columns, ([\d.]+) MB of text, ([\d.]+) bytes of Matrix")
    rows, columns, megabytes, per_number = (float(g) for g in match.groups()) if match else (math.nan,) * 4
    rates: dict[str, list[tuple[float, float]]] = {}
    for name, _ in CSV_ROWS:
        for r in ok:
            seconds = r.medians.get(name, math.nan) * 1e-9
            per_second = ratio(rows, seconds) if match else r.rates.get(name, math.nan)
            rates.setdefault(name, []).append((per_second, ratio(megabytes, seconds)))
    return CsvFigures(rows, columns, megabytes, per_number, rates)


def csv_section(f: CsvFigures) -> str:
    table_rows = [[f"{name} ({what})", runs([r * 1e-6 for r, _ in f.rates.get(name, [])]),
                   runs([m for _, m in f.rates.get(name, [])])] for name, what in CSV_ROWS]
    size = (f"{f.rows:,.0f} rows x {num(f.columns)} columns of numbers in shortest round-trip form "
            f"({num(f.megabytes)} MB of text)" if not math.isnan(f.rows) else "a numeric table (its size is "
            "not in the log, so only rows per second from Google Benchmark's counter are shown)")
    memory = (f" Once loaded, the matrix takes {num(f.bytes_per_number)} bytes of memory per number."
              if not math.isnan(f.bytes_per_number) else "")
    return ("## CSV loading\n\n"
            f"How fast `slope::lang` reads {size}, every number checked against the one written before "
            "timing. Rates come from the median CPU time of a whole load and the table's size; one cell per "
            f"run, higher is better.{memory}\n\n"
            + table(["benchmark", "million rows/s", "MB/s of text"], table_rows))
