zbarimg -q --nodbus /tmp/barcode-12345.png
