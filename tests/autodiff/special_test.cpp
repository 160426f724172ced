// placeholder: filled in by the special tests
