// placeholder: filled in by the status tests
