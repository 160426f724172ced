// placeholder: filled in by the tape tests
