vzctl set 908 --dcachesize=3409920:3624960 --save
