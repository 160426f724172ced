"""The result of an optimization run, read as attributes or as a dict (as scipy's OptimizeResult)."""


class _AttributeDict(dict):
    """A dict whose keys are also attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    __setattr__ = dict.__setitem__
    __delattr__ = dict.__delitem__

    def __dir__(self):
        return list(self.keys())


class OptimizeResult(_AttributeDict):
    """What a run found, in the objective's own sense (never negated).

    x              the best point found (a flat ndarray)
    objective      the objective at x
    status         why the run stopped: 'converged', 'max_iterations', 'max_evaluations',
                   'time_limit', 'diverged', 'line_search_failed', 'stopped_by_callback'
    converged      status == 'converged'
    sense          'minimize' or 'maximize'
    message        what stopped the run, in words; criterion: which convergence test held
    iterations, evaluations, gradient_norm (max_i |g_i| at x; of the projected gradient, with bounds)
    active_bounds  per component of x: 'free', 'at_lower' or 'at_upper' (all 'free' without bounds)
    params         (Model.optimize) {name: float | ndarray} at x
    trace          per iteration (0 is the start): iteration, objective, gradient_norm, step,
                   evaluations, as NumPy arrays, and x (one row per iteration: the flat point);
                   None when the run was asked not to trace
    """

    def __repr__(self):
        keys = [k for k in ("status", "converged", "sense", "objective", "iterations", "evaluations",
                            "gradient_norm", "message") if k in self]
        width = max(len(k) for k in keys)
        lines = [f"{k.rjust(width)}: {self[k]!r}" for k in keys]
        if "params" in self:
            lines.append("params".rjust(width) + ": " + repr(self["params"]))
        else:
            lines.append("x".rjust(width) + ": " + repr(self["x"]))
        return "\n".join(lines)


class Trace(_AttributeDict):
    """One entry per iteration (0 is the starting point), as NumPy arrays of equal length:
    iteration, objective (in the objective's own sense), gradient_norm (max_i |g_i|), step
    (max_i |x_k - x_{k-1}|), evaluations (so far), and x (2-D: the flat point of each row)."""

    def __repr__(self):
        return f"Trace({len(self['iteration'])} rows: iteration, objective, gradient_norm, step, evaluations, x)"
