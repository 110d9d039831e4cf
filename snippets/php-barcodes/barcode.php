<?php
// GET /barcode.php?number=<TEXT>  ->  Code 128 barcode as PNG
require_once '/usr/share/php/tcpdf/tcpdf_barcodes_1d.php';

$number = $_GET['number'] ?? '';

// 1-80 printable ASCII characters (0x20-0x7E), all of them encodable in Code 128 set B
if (!is_string($number) || !preg_match('/\A[\x20-\x7E]{1,80}\z/', $number)) {
    http_response_code(400);
    header('Content-Type: text/plain; charset=us-ascii');
    echo "number must be 1 to 80 printable ASCII characters\n";
    exit;
}

$barcode = new TCPDFBarcode($number, 'C128');
// 2 px per module, 60 px high, black bars; returns false without GD or Imagick
$png = $barcode->getBarcodePngData(2, 60, array(0, 0, 0));
if ($png === false) {
    http_response_code(500);
    header('Content-Type: text/plain; charset=us-ascii');
    echo "no image library: install php-gd\n";
    exit;
}

header('Content-Type: image/png');
header('Content-Length: ' . strlen($png));
echo $png;
