powercfg -h off
