"""Derive a SigV4 signing key with the standard library only."""
import hashlib
import hmac
import sys


def hmac_sha256(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    k_date = hmac_sha256(("AWS4" + secret).encode("utf-8"), date)  # date is YYYYMMDD
    k_region = hmac_sha256(k_date, region)
    k_service = hmac_sha256(k_region, service)
    return hmac_sha256(k_service, "aws4_request")


secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
date, region, service = (sys.argv[1:4] if len(sys.argv) == 4
                         else ("20120215", "us-east-1", "iam"))
print(f"{date}/{region}/{service}/aws4_request", signing_key(secret, date, region, service).hex())
