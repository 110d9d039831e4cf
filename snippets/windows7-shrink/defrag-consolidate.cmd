defrag C: /X /U /V
