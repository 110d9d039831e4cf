python3 -m venv /opt/paint
/opt/paint/bin/pip install playwright
