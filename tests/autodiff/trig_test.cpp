// placeholder: filled in by the trig tests
