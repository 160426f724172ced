"""The exceptions Slope raises. The C++ core raises them through one translator."""


class Error(Exception):
    """Base of every exception Slope raises.

    ``file``, ``line`` and ``column`` locate the problem in a model's text; each is None where
    there is no such place (an error about a call, or from a Python function's optimization).
    """

    def __init__(self, message, file=None, line=None, column=None):
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column


class ModelError(Error, ValueError):
    """The model does not parse or does not make sense with its data and constants: syntax,
    names, shapes, data. ``str(e)`` is the message the ``slope`` command prints, with the
    source line and a caret under the column when the error is in the model's text."""


class DomainError(Error, ValueError):
    """An operation left its domain at the point evaluated, e.g. the log of a negative number
    at the starting point of Model.optimize. ``operation`` names it ("log")."""

    operation = None


class ArgumentError(Error, ValueError):
    """An argument's value is not valid: an unknown method, a negative tol, a start outside the
    params' bounds, bounds of the wrong length."""


class ArgumentTypeError(Error, TypeError):
    """An argument of the wrong type, e.g. tol="1e-3", or a Model made without __init__.
    (A call with a missing or unknown argument raises Python's own TypeError, as any call does.)"""
