// placeholder: filled in by the fusion tests
