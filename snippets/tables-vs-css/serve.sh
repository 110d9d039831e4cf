python3 stall-server.py
