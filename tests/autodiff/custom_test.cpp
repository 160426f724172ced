// placeholder: filled in by the custom tests
