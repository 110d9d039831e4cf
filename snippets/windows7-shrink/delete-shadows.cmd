vssadmin list shadows /for=C:
vssadmin delete shadows /for=C: /all /quiet
