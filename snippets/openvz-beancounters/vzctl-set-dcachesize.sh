vzctl set 908 --dcachesize=6819840:7249920 --save
