// placeholder: filled in by the power tests
