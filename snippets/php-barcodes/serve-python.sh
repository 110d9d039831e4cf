/opt/barcode/bin/python barcode_wsgi.py
