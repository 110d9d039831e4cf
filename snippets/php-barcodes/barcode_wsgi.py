"""GET /?number=<TEXT> -> Code 128 barcode as PNG (same contract as barcode.php)."""
import io
import re
from urllib.parse import parse_qs
from wsgiref.simple_server import make_server

import barcode
from barcode.writer import ImageWriter

VALID = re.compile(r"[\x20-\x7e]{1,80}")


def app(environ, start_response):
    number = parse_qs(environ.get("QUERY_STRING", "")).get("number", [""])[0]
    if not VALID.fullmatch(number):
        body = b"number must be 1 to 80 printable ASCII characters\n"
        start_response("400 Bad Request", [("Content-Type", "text/plain; charset=us-ascii"),
                                           ("Content-Length", str(len(body)))])
        return [body]
    out = io.BytesIO()
    barcode.Code128(number, writer=ImageWriter()).write(out)
    body = out.getvalue()
    start_response("200 OK", [("Content-Type", "image/png"), ("Content-Length", str(len(body)))])
    return [body]


if __name__ == "__main__":
    make_server("0.0.0.0", 8000, app).serve_forever()
