Disable-ComputerRestore -Drive "C:\"
