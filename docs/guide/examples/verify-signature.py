import base64
import json

from cryptography.hazmat.primitives.serialization import load_pem_public_key

key = load_pem_public_key(open("tests/labs/signers/ci.pub", "rb").read())
entry = json.load(open("build/lab-results.json"))["labs"]["saslauthd"]["debian-13"]
signature = base64.b64decode(entry.pop("signature")["value"])
key.verify(signature, b"runbook-kb lab result v1\n"  # raises InvalidSignature if the entry was altered
           + json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
print("signed by the key in tests/labs/signers/ci.pub")
