vzctl enter 908
