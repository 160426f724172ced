"""Slope from Python: models of the .slope language, their gradients and the optimizer, on NumPy.

    import numpy as np, slope

    m = slope.Model.load("logistic.slope", data={"X": X, "y": y}, consts={"lambda": 0.1})
    v, g = m.value_and_gradient(m.initial)
    r = m.optimize()                       # L-BFGS; r.status, r.objective, r.params, r.trace
    f, x0 = m.flat()                       # for scipy.optimize.minimize(f, x0, jac=True)

    r = slope.minimize(fun, x0)            # fun(x) -> (value, gradient), as scipy's jac=True
    r = slope.maximize(fun, x0)
"""

from ._errors import DomainError, Error, ModelError
from ._result import OptimizeResult, Trace
from ._core import Model
from . import _core

__all__ = ["Model", "minimize", "maximize", "Error", "ModelError", "DomainError", "OptimizeResult", "Trace"]

# Shown as slope.ModelError, slope.Model, ... in tracebacks and reprs, where users import them from.
for _name in ("Model", "Error", "ModelError", "DomainError", "OptimizeResult", "Trace"):
    globals()[_name].__module__ = __name__
del _name


def _check_bounds(bounds, x0):
    """Accepts bounds only when they bound nothing: box constraints are not in slope's optimizer yet."""
    if bounds is None:
        return
    try:
        pairs = [tuple(pair) for pair in bounds]
        unbounded = all(len(p) == 2 and (p[0] is None or p[0] == float("-inf")) and
                        (p[1] is None or p[1] == float("inf")) for p in pairs)
    except TypeError:
        raise TypeError("bounds must be None or a sequence of (low, high) pairs") from None
    if not unbounded:
        raise NotImplementedError("bounds: slope's optimizer has no box constraints yet; pass bounds=None")


def minimize(fun, x0, method="lbfgs", tol=1e-6, max_iter=1000, bounds=None, *, step_size=None, trace=True):
    """Minimizes fun from x0, where fun(x) -> (value, gradient ndarray), as scipy's jac=True.

    method: 'lbfgs' (default), 'gd', 'momentum' or 'adam', as `slope optimize --method`, with
    step_size for the last three. Stops when max_i |g_i| <= tol or after max_iter iterations.
    fun is called with a fresh float64 array of x0's length; an exception it raises propagates,
    and a value or gradient of the wrong shape raises ValueError. Ctrl-C raises
    KeyboardInterrupt. Returns an OptimizeResult: x, objective, status, converged, iterations,
    evaluations, gradient_norm, message, trace.
    """
    _check_bounds(bounds, x0)
    return _core.optimize_function(fun, x0, "minimize", method, tol, max_iter, step_size, trace)


def maximize(fun, x0, method="lbfgs", tol=1e-6, max_iter=1000, bounds=None, *, step_size=None, trace=True):
    """Maximizes fun from x0: the same run as minimizing -fun, reported in fun's own sense.
    Arguments and result as for minimize."""
    _check_bounds(bounds, x0)
    return _core.optimize_function(fun, x0, "maximize", method, tol, max_iter, step_size, trace)
