python3 -m venv /opt/barcode
/opt/barcode/bin/pip install 'python-barcode[images]'
