"""Slope from Python: models of the .slope language, their gradients and the optimizer, on NumPy.

    import numpy as np, slope

    m = slope.Model.load("logistic.slope", data={"X": X, "y": y}, consts={"lambda": 0.1})
    v, g = m.value_and_gradient(m.initial)
    r = m.optimize()                       # L-BFGS; r.status, r.objective, r.params, r.trace
    f, x0 = m.flat()                       # for scipy.optimize.minimize(f, x0, jac=True)

    r = slope.minimize(fun, x0)            # fun(x) -> (value, gradient), as scipy's jac=True
    r = slope.maximize(fun, x0)
"""

import numpy as np

from ._errors import ArgumentError, ArgumentTypeError, DomainError, Error, ModelError
from ._result import OptimizeResult, Trace
from ._core import Model
from . import _core

__all__ = ["Model", "minimize", "maximize", "Error", "ModelError", "DomainError", "ArgumentError",
           "ArgumentTypeError", "OptimizeResult", "Trace"]

# Shown as slope.ModelError, slope.Model, ... in tracebacks and reprs, where users import them from.
for _name in ("Model", "Error", "ModelError", "DomainError", "ArgumentError", "ArgumentTypeError", "OptimizeResult",
              "Trace"):
    globals()[_name].__module__ = __name__
del _name


def _bounds(bounds, x0):
    """(lower, upper) for the core from scipy's forms: a sequence of (low, high) pairs, one per
    component, None meaning no bound on that side; or an object with lb and ub (scipy's Bounds),
    where one number bounds every component of x0, as in scipy."""
    if bounds is None:
        return None, None
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        return tuple(np.broadcast_to(side, np.shape(np.ravel(x0))) if np.size(side) == 1 else side
                     for side in (bounds.lb, bounds.ub))
    try:
        pairs = [tuple(pair) for pair in bounds]
    except TypeError:
        raise ArgumentTypeError(
            "bounds must be None, a sequence of (low, high) pairs or scipy.optimize.Bounds") from None
    if any(len(pair) != 2 for pair in pairs):
        raise ArgumentError("bounds must hold one (low, high) pair per component")
    inf = float("inf")
    lower = [-inf if low is None else low for low, _ in pairs]
    upper = [inf if high is None else high for _, high in pairs]
    return lower, upper


def minimize(fun, x0, method="lbfgs", tol=1e-6, max_iter=1000, bounds=None, *, max_evals=None, step_size=None,
             trace=True):
    """Minimizes fun from x0, where fun(x) -> (value, gradient ndarray), as scipy's jac=True.

    method: 'lbfgs' (default), 'gd', 'momentum' or 'adam', as `slope optimize --method`, with
    step_size for the last three. Stops when max_i |g_i| <= tol (of the projected gradient, with
    bounds), after max_iter iterations, or after max_evals calls of fun (None: no limit).
    bounds, as scipy's: None, one (low, high) pair per component (None for no bound on a side),
    or scipy.optimize.Bounds; with bounds, L-BFGS is projected (the L-BFGS-B idea) and the other
    methods take projected steps, and a start outside the box is projected onto it. fun is
    called with a fresh float64 array of x0's length; an exception it raises propagates, and a
    value or gradient of the wrong shape raises ValueError. Ctrl-C raises KeyboardInterrupt.
    Returns an OptimizeResult: x, objective, status, converged, iterations, evaluations,
    gradient_norm, active_bounds, message, trace.
    """
    lower, upper = _bounds(bounds, x0)
    return _core.optimize_function(fun, x0, "minimize", method, tol, max_iter, max_evals, step_size, trace, lower,
                                   upper)


def maximize(fun, x0, method="lbfgs", tol=1e-6, max_iter=1000, bounds=None, *, max_evals=None, step_size=None,
             trace=True):
    """Maximizes fun from x0: the same run as minimizing -fun, reported in fun's own sense.
    Arguments and result as for minimize."""
    lower, upper = _bounds(bounds, x0)
    return _core.optimize_function(fun, x0, "maximize", method, tol, max_iter, max_evals, step_size, trace, lower,
                                   upper)
