// placeholder: filled in by the checked tests
