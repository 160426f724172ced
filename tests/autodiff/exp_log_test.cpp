// placeholder: filled in by the exp_log tests
