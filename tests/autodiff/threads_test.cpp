// placeholder: filled in by the threads tests
