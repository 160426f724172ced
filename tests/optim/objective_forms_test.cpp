// placeholder: filled in by the objective_forms tests
