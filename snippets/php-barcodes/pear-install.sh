pear install Image_Barcode
