// placeholder: filled in by the mgh tests
