// placeholder: filled in by the ml tests
