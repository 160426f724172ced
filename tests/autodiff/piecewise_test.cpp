// placeholder: filled in by the piecewise tests
