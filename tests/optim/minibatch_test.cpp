// placeholder: filled in by the minibatch tests
