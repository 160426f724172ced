// placeholder: filled in by the deep_graph tests
