python3 -m venv --system-site-packages /opt/barcode
/opt/barcode/bin/pip install 'python-barcode[images]'
