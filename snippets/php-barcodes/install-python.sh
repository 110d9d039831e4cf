apt-get install -y python3-venv python3-pil
