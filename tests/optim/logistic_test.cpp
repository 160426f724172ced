// placeholder: filled in by the logistic tests
