#!/usr/bin/env python3
"""`mpirun -np K slope ...` on this machine (loopback), run by CTest (tests/mpi/CMakeLists.txt).

- The logistic, least-squares and softmax examples optimized on 2 and 3 ranks equal the
  single-process run (objective to 1e-12 relative, params to 1e-9), are the same bits on two
  runs, and only rank 0 prints; `gradient` and `check` agree too; per-rank files ({rank}) work.
- Faults: a rank that cannot read its file, a bad cell in rank 3's block, a NaN in one rank's
  rows, a model that cannot be split, a rank killed mid-run: every rank stops (exit 2, or
  non-zero when killed), with one message naming the rank and the place, never a hang.
"""

import argparse
import json
import os
import random
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARGS = None
TIMEOUT = 120  # seconds for any one run: a hang fails the test instead of blocking CTest


def slope(*args, ranks=1, check=True):
    """Runs slope (under mpirun when ranks > 1); returns the CompletedProcess."""
    command = [ARGS.slope, *map(str, args)]
    if ranks > 1:
        command = [*shlex.split(ARGS.mpirun), "-np", str(ranks), *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def slope_errors(stderr):
    """The lines slope printed (mpirun adds its own report after a non-zero exit)."""
    return [line for line in stderr.splitlines() if "error:" in line]


def close(a, b, rtol):
    return abs(a - b) <= rtol * max(1.0, abs(b))


def flat(params):
    out = []
    for value in params.values():
        if isinstance(value, list):
            for item in value:
                out.extend(item if isinstance(item, list) else [item])
        else:
            out.append(value)
    return out


MODELS = {
    "logistic": ("logistic.slope", ["X=logistic.csv:x1-x3", "y=logistic.csv:label"]),
    "least_squares": ("least_squares.slope", ["x=least_squares.csv:x", "y=least_squares.csv:y"]),
    "softmax": ("softmax_regression.slope", ["X=softmax.csv:x1-x4", "y=softmax.csv:label"]),
}


def model_args(name):
    model, data = MODELS[name]
    out = [Path(ARGS.models) / model]
    for binding in data:
        key, file = binding.split("=", 1)
        out += ["--data", f"{key}={Path(ARGS.models) / file}"]
    return out


def test_split_runs_equal_the_single_process_run():
    for name in MODELS:
        args = ["optimize", *model_args(name), "--tol", "1e-10", "--json"]
        single = json.loads(slope(*args).stdout)
        assert single["status"] == "converged", (name, single)
        for ranks in (2, 3):
            run = slope(*args, ranks=ranks)
            lines = run.stdout.strip().splitlines()
            assert len(lines) == 1, f"{name} on {ranks} ranks: only rank 0 prints, got {run.stdout}"
            split = json.loads(lines[0])
            assert split["status"] == "converged", (name, ranks, split)
            assert close(split["objective"], single["objective"], 1e-12), (name, ranks, split["objective"])
            for a, b in zip(flat(split["params"]), flat(single["params"])):
                assert close(a, b, 1e-9), (name, ranks, a, b)
            again = slope(*args, ranks=ranks)
            assert again.stdout == run.stdout, f"{name} on {ranks} ranks: not the same bits on a second run"


def test_gradient_and_check_over_ranks():
    single = json.loads(slope("gradient", *model_args("softmax"), "--json").stdout)
    split = json.loads(slope("gradient", *model_args("softmax"), "--json", ranks=3).stdout)
    assert close(split["objective"], single["objective"], 1e-12)
    for a, b in zip(flat(split["gradient"]), flat(single["gradient"])):
        assert close(a, b, 1e-10), (a, b)
    check = slope("check", *model_args("logistic"), ranks=2)
    assert check.stdout.count("max relative error") == 1 and ": ok" in check.stdout, check.stdout


def test_files_per_rank(tmp):
    rows = (Path(ARGS.models) / "logistic.csv").read_text().splitlines()
    header, body = rows[0], rows[1:]
    for rank, part in enumerate((body[:70], body[70:])):
        (tmp / f"part_{rank}.csv").write_text("\n".join([header, *part]) + "\n")
    args = ["optimize", Path(ARGS.models) / "logistic.slope", "--data", f"X={tmp}/part_{{rank}}.csv:x1-x3",
            "--data", f"y={tmp}/part_{{rank}}.csv:label", "--tol", "1e-10", "--json"]
    whole = json.loads(slope("optimize", *model_args("logistic"), "--tol", "1e-10", "--json").stdout)
    split = json.loads(slope(*args, ranks=2).stdout)
    assert close(split["objective"], whole["objective"], 1e-12)
    # A third rank has no file: it says so, and every rank stops.
    run = slope(*args, ranks=3, check=False)
    assert run.returncode == 2, run
    errors = slope_errors(run.stderr)
    assert len(errors) == 1 and errors[0].startswith(f"rank 2: {tmp}/part_2.csv: error: cannot open"), run.stderr


def test_a_json_file_split_by_rows(tmp):
    rows = [line.split(",") for line in (Path(ARGS.models) / "logistic.csv").read_text().splitlines()[1:]]
    data = {"X": [[float(v) for v in r[:3]] for r in rows], "y": [float(r[3]) for r in rows], "n": len(rows)}
    (tmp / "d.json").write_text(json.dumps(data))
    args = ["optimize", Path(ARGS.models) / "logistic.slope", "--data", tmp / "d.json", "--tol", "1e-10", "--json"]
    single = json.loads(slope(*args).stdout)
    split = json.loads(slope(*args, ranks=3).stdout)
    assert close(split["objective"], single["objective"], 1e-12)
    # n as the file states it is checked against the rows of all ranks, not one rank's share.
    data["n"] = len(rows) + 1
    (tmp / "d.json").write_text(json.dumps(data))
    run = slope(*args, ranks=2, check=False)
    assert run.returncode == 2
    assert slope_errors(run.stderr) == [f"{tmp}/d.json: error: n: the file gives n = 201, but the data of all "
                                        "processes have 200 rows"], run.stderr


def test_a_bad_cell_in_rank_3s_rows(tmp):
    rows = (Path(ARGS.models) / "logistic.csv").read_text().splitlines()
    rows[181] = "abc" + rows[181][rows[181].index(","):]  # line 182: row 181 of 200, in the last of 4 blocks
    (tmp / "bad.csv").write_text("\n".join(rows) + "\n")
    run = slope("optimize", Path(ARGS.models) / "logistic.slope", "--data", f"X={tmp}/bad.csv:x1-x3",
                "--data", f"y={tmp}/bad.csv:label", ranks=4, check=False)
    assert run.returncode == 2, run
    errors = slope_errors(run.stderr)
    assert errors == [f'rank 3: {tmp}/bad.csv:182:1: error: cell "abc" is not a number'], run.stderr


def test_a_nan_in_one_ranks_rows(tmp):
    rows = (Path(ARGS.models) / "logistic.csv").read_text().splitlines()
    rows[30] = "nan" + rows[30][rows[30].index(","):]
    (tmp / "nan.csv").write_text("\n".join(rows) + "\n")
    run = slope("optimize", Path(ARGS.models) / "logistic.slope", "--data", f"X={tmp}/nan.csv:x1-x3",
                "--data", f"y={tmp}/nan.csv:label", ranks=2, check=False)
    assert run.returncode == 2, run
    errors = slope_errors(run.stderr)
    assert len(errors) == 1 and errors[0].startswith("rank 0: ") and "is NaN" in errors[0], run.stderr
    assert "logistic.slope:" in errors[0], run.stderr


def test_a_model_whose_rows_interact_is_refused_once(tmp):
    model = tmp / "centered.slope"
    model.write_text("data x[n]\ndata y[n]\nparam a = 0\nminimize sum((y - mean(y) - a * x) .^ 2)\n")
    run = slope("optimize", model, "--data", f"x={Path(ARGS.models)}/least_squares.csv:x", "--data",
                f"y={Path(ARGS.models)}/least_squares.csv:y", ranks=2, check=False)
    assert run.returncode == 2, run
    errors = slope_errors(run.stderr)
    assert len(errors) == 1 and errors[0].startswith(f"{model}:4:") and "cannot be split over processes" in errors[0], \
        run.stderr


def test_a_rank_killed_mid_run_stops_the_others(tmp):
    # A run long enough to be caught in the middle: gradient descent on 20,000 rows, many steps.
    rng = random.Random(3)
    with open(tmp / "big.csv", "w") as out:
        out.write("x1,x2,x3,label\n")
        for _ in range(20000):
            out.write(",".join(f"{rng.gauss(0, 1):.4f}" for _ in range(3)) + f",{rng.randint(0, 1)}\n")
    model = tmp / "victim.slope"
    model.write_text((Path(ARGS.models) / "logistic.slope").read_text())
    command = [*shlex.split(ARGS.mpirun), "-np", "2", ARGS.slope, "optimize", str(model), "--data",
               f"X={tmp}/big.csv:x1-x3", "--data", f"y={tmp}/big.csv:label", "--method", "gd", "--max-iter",
               "100000000", "--tol", "1e-30"]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim = None
    deadline = time.time() + 30
    while victim is None and time.time() < deadline:
        time.sleep(0.5)
        found = subprocess.run(["pgrep", "-f", f"{ARGS.slope} optimize {model}"], capture_output=True, text=True)
        pids = [int(p) for p in found.stdout.split()]
        if len(pids) >= 2:
            time.sleep(1.0)  # well into the optimization
            victim = max(pids)
    assert victim is not None, "the ranks never started"
    os.kill(victim, signal.SIGKILL)
    try:
        run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        run.kill()
        raise AssertionError("the other rank hung after one was killed")
    assert run.returncode != 0, run.returncode
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", f"{ARGS.slope} optimize {model}"], capture_output=True, text=True)
    assert left.stdout.strip() == "", f"ranks left running: {left.stdout}"


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--slope", required=True)
    parser.add_argument("--models", required=True)
    parser.add_argument("--mpirun", required=True, help="the mpirun command and its options, one string")
    ARGS = parser.parse_args()
    ARGS.mpirun = ARGS.mpirun.replace(";", " ")  # a CMake list
    tests = [(name, f) for name, f in globals().items() if name.startswith("test_")]
    failed = 0
    for name, test in tests:
        with tempfile.TemporaryDirectory() as folder:
            started = time.time()
            try:
                if test.__code__.co_argcount == 1:
                    test(Path(folder))
                else:
                    test()
                print(f"ok   {name} ({time.time() - started:.1f} s)")
            except Exception as error:  # report every test, then fail
                failed += 1
                print(f"FAIL {name}: {error}")
    print(f"{len(tests) - failed} of {len(tests)} passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
