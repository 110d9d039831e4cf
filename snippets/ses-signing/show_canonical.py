"""Print the SigV4 intermediate values for an SES SendEmail request at a fixed time.

Usage: show_canonical.py [YYYYMMDDTHHMMSSZ]   (default: AWS's example time 20150830T123600Z)
"""
import sys
from urllib.parse import urlencode

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

timestamp = sys.argv[1] if len(sys.argv) > 1 else "20150830T123600Z"
creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
signer = SigV4Auth(creds, "ses", "us-east-1")

body = urlencode({
    "Action": "SendEmail",
    "Version": "2010-12-01",
    "Source": "sender@example.com",
    "Destination.ToAddresses.member.1": "recipient@example.com",
    "Message.Subject.Data": "SigV4 test",
    "Message.Body.Text.Data": "Signed with botocore SigV4Auth.",
})
request = AWSRequest(method="POST", url="https://email.us-east-1.amazonaws.com/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                              "X-Amz-Date": timestamp})
request.context["timestamp"] = timestamp  # add_auth() would set both from the clock

canonical_request = signer.canonical_request(request)
string_to_sign = signer.string_to_sign(request, canonical_request)
signature = signer.signature(string_to_sign, request)
signed_headers = signer.signed_headers(signer.headers_to_sign(request))

print("--- canonical request ---", canonical_request, sep="\n")
print("--- string to sign ---", string_to_sign, sep="\n")
print("--- Authorization ---")
print(f"AWS4-HMAC-SHA256 Credential={creds.access_key}/{signer.credential_scope(request)}, "
      f"SignedHeaders={signed_headers}, Signature={signature}")
