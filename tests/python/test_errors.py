"""Bad input raises a clear exception and never crashes the interpreter."""

import math
import os
import subprocess

import numpy as np
import pytest

import slope
from conftest import LOGISTIC, MODELS, logistic_data


def test_exception_classes():
    assert issubclass(slope.Error, Exception)
    assert issubclass(slope.ModelError, slope.Error) and issubclass(slope.ModelError, ValueError)
    assert issubclass(slope.DomainError, slope.Error) and issubclass(slope.DomainError, ValueError)


def test_syntax_error_is_located_and_rendered_as_the_command_line_does():
    with pytest.raises(slope.ModelError) as caught:
        slope.Model("param x = 1\nminimize log(x - 3", file="model.slope")
    e = caught.value
    assert (e.file, e.line, e.column) == ("model.slope", 2, 19)
    assert str(e) == ("model.slope:2:19: error: expected ')' to close '(' opened at 2:13, found end of file\n"
                      "  minimize log(x - 3\n"
                      "                    ^")


@pytest.mark.skipif(not os.environ.get("SLOPE_CLI"), reason="SLOPE_CLI (the slope executable) not set; CTest sets it")
@pytest.mark.parametrize("text, command, error", [
    ("param x = 1\nminimize log(x - 3\n", "check", slope.ModelError),              # syntax
    ("param x = 1\nminimize x + q\n", "gradient", slope.ModelError),               # names
    ("param v[2] = 1\nparam w[3] = 1\nminimize dot(v, w)\n", "gradient", slope.ModelError),  # shapes
    ("param x = 1\nminimize (log(x - 3))^2\n", "optimize", slope.DomainError),     # domain, at the start
])
def test_str_of_an_error_is_what_the_command_line_prints(tmp_path, monkeypatch, text, command, error):
    (tmp_path / "model.slope").write_text(text)
    monkeypatch.chdir(tmp_path)
    cli = subprocess.run([os.environ["SLOPE_CLI"], command, "model.slope"], capture_output=True, text=True)
    assert cli.returncode == 2 and cli.stdout == ""
    with pytest.raises(error) as caught:
        slope.Model.load("model.slope").optimize()
    assert str(caught.value) + "\n" == cli.stderr


def test_syntax_error_in_a_loaded_file_shows_its_line(tmp_path):
    path = tmp_path / "bad.slope"
    path.write_text("param x = 1\nminimize x +\n")
    with pytest.raises(slope.ModelError) as caught:
        slope.Model.load(path)
    assert caught.value.file == str(path) and caught.value.line == 2
    assert "\n  minimize x +\n" in str(caught.value)


def test_missing_file():
    with pytest.raises(slope.ModelError, match="cannot open the model file") as caught:
        slope.Model.load("/nonexistent/model.slope")
    assert caught.value.line is None and caught.value.column is None


def test_unknown_names_suggest_the_declared_one():
    X, y = logistic_data()
    with pytest.raises(slope.ModelError, match="no const named 'lamda'; did you mean 'lambda'") as caught:
        slope.Model(LOGISTIC, data={"X": X, "y": y}, consts={"lamda": 1.0})
    assert caught.value.line is None
    with pytest.raises(slope.ModelError, match="no data named 'Z'"):
        slope.Model(LOGISTIC, data={"X": X, "y": y, "Z": y})
    m = slope.Model(LOGISTIC, data={"X": X, "y": y})
    with pytest.raises(slope.ModelError, match="no param named 'ww'; did you mean 'w'"):
        m.value({"ww": [1, 2, 3]})


def test_missing_data_points_at_its_declaration():
    X, _ = logistic_data()
    with pytest.raises(slope.ModelError, match="no data for 'y'") as caught:
        slope.Model(LOGISTIC, data={"X": X}, file="logistic.slope")
    assert (caught.value.line, caught.value.column) == (5, 1)


def test_data_shapes_are_checked_with_the_csv_messages():
    X, y = logistic_data()
    with pytest.raises(slope.ModelError) as caught:
        slope.Model(LOGISTIC, data={"X": X, "y": y[:10]}, file="logistic.slope")
    assert str(caught.value).startswith(
        "logistic.slope:5:8: error: data 'y' is declared [n] with n = 200 (the rows of 'X', bound in memory), "
        "but its data has shape [10] (bound in memory)")
    with pytest.raises(slope.ModelError, match=r"data 'y' is declared \[n\] but its data has shape \[200, 2\]"):
        slope.Model(LOGISTIC, data={"X": X, "y": np.column_stack([y, y])})
    with pytest.raises(slope.ModelError, match=r"data 'X' has shape \(2, 2, 2\), but data is a scalar"):
        slope.Model(LOGISTIC, data={"X": np.zeros((2, 2, 2)), "y": y})


@pytest.mark.parametrize("bad", ["abc", None, [1, "a"], [[1, 2], [3]], np.array([1 + 2j]), {"a": 1}, object()])
def test_data_of_the_wrong_type(bad):
    X, y = logistic_data()
    with pytest.raises(TypeError, match="data 'y' must be a number or an array of numbers"):
        slope.Model(LOGISTIC, data={"X": X, "y": bad})


def test_arguments_of_the_wrong_type():
    X, y = logistic_data()
    with pytest.raises(TypeError, match="data must be a dict"):
        slope.Model(LOGISTIC, data=[X, y])
    with pytest.raises(TypeError, match="keys of data must be names"):
        slope.Model(LOGISTIC, data={0: X, "y": y})
    with pytest.raises(TypeError, match="consts must be a dict"):
        slope.Model(LOGISTIC, data={"X": X, "y": y}, consts=0.1)
    with pytest.raises(TypeError, match="const 'lambda' must be a number"):
        slope.Model(LOGISTIC, data={"X": X, "y": y}, consts={"lambda": "0.1"})
    with pytest.raises(TypeError):
        slope.Model(42)
    with pytest.raises(TypeError):
        slope.Model.load(3.5)


def test_params_of_the_wrong_type_or_shape(model):
    with pytest.raises(TypeError, match="p must be a dict"):
        model.value([0, 0, 0, 0])
    with pytest.raises(TypeError, match="param 'b' must be a number"):
        model.value({"b": "zero"})
    with pytest.raises(slope.ModelError, match=r"param 'w' has shape \[3\] \(3 values\), but 2 values were given"):
        model.gradient({"w": [1.0, 2.0]})
    with pytest.raises(slope.ModelError, match=r"param 'w' has shape \[3\], but a value of shape \(1, 3\) was given"):
        model.value_and_gradient({"w": [[1.0, 2.0, 3.0]]})
    with pytest.raises(slope.ModelError, match="the model has 4 parameter values, but 3 were given"):
        model.unflatten([1.0, 2.0, 3.0])
    f, _ = model.flat()
    with pytest.raises(slope.ModelError, match="the model has 4 parameter values, but 5 were given"):
        f(np.zeros(5))
    with pytest.raises(ValueError, match="flat vector"):
        f(np.zeros((2, 2)))
    with pytest.raises(TypeError):
        f("abcd")


def test_optimize_options_are_checked_as_the_command_line_checks_them(model):
    with pytest.raises(ValueError, match="method must be 'lbfgs', 'gd', 'momentum' or 'adam'"):
        model.optimize(method="bfgs")
    with pytest.raises(ValueError, match="tol must be >= 0"):
        model.optimize(tol=-1.0)
    with pytest.raises(ValueError, match="tol must be >= 0"):
        model.optimize(tol=math.nan)
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        model.optimize(max_iter=0)
    with pytest.raises(TypeError, match="max_iter must be an int"):
        model.optimize(max_iter=10.5)
    with pytest.raises(ValueError, match="L-BFGS finds its steps by line search"):
        model.optimize(step_size=0.1)
    with pytest.raises(ValueError, match="step_size must be > 0"):
        model.optimize(method="adam", step_size=-1.0)
    with pytest.raises(TypeError):
        model.optimize(method=3)
    with pytest.raises(slope.ModelError, match="the model has 4 parameter values, but 2 were given"):
        model.optimize(start=[1.0, 2.0])


def test_nan_in_data_propagates_and_optimize_names_the_operation():
    X, y = logistic_data()
    X[3, 1] = np.nan
    m = slope.Model(LOGISTIC, data={"X": X, "y": y}, file="logistic.slope")
    assert math.isnan(m.value(m.initial))
    v, g = m.value_and_gradient({"w": np.ones(3)})
    assert math.isnan(v) and np.isnan(g["w"]).all()
    with pytest.raises(slope.DomainError) as caught:
        m.optimize()
    e = caught.value
    assert (e.file, e.line) == ("logistic.slope", 9)
    assert e.operation is not None and "nan" in str(e).lower()


def test_domain_error_at_the_starting_point():
    m = slope.Model("param x = 1\nminimize (log(x - 3))^2", file="m.slope")
    with pytest.raises(slope.DomainError) as caught:
        m.optimize()
    e = caught.value
    assert (e.file, e.line, e.column, e.operation) == ("m.slope", 2, 11, "log")
    assert str(e).startswith("m.slope:2:11: error: log: argument is -2, must be >= 0\n  minimize (log(x - 3))^2\n")
    assert m.optimize(start={"x": 5.0}).converged


def test_a_model_without_an_objective():
    with pytest.raises(slope.ModelError, match="the model has no objective"):
        slope.Model("param x = 1")


def test_errors_leave_the_model_usable(model):
    with pytest.raises(slope.ModelError):
        model.value({"w": [1.0]})
    assert model.optimize().converged
