// placeholder: filled in by the gradient_api tests
