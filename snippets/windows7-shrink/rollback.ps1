Enable-ComputerRestore -Drive "C:\"
wmic computersystem set AutomaticManagedPagefile=True
powercfg -h on
