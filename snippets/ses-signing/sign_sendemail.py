"""Sign an Amazon SES SendEmail request (Query API) with SigV4; pass --send to submit it."""
import os
import sys
import urllib.error
import urllib.request
from urllib.parse import urlencode

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = "us-east-1"
ENDPOINT = f"https://email.{REGION}.amazonaws.com/"

# Defaults are AWS's published example key pair; export real keys to send for real.
creds = Credentials(
    os.environ.get("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
    os.environ.get("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
    os.environ.get("AWS_SESSION_TOKEN"),  # required with temporary (ASIA...) keys
)

body = urlencode({
    "Action": "SendEmail",
    "Version": "2010-12-01",
    "Source": "sender@example.com",
    "Destination.ToAddresses.member.1": "recipient@example.com",
    "Message.Subject.Data": "SigV4 test",
    "Message.Body.Text.Data": "Signed with botocore SigV4Auth.",
})
request = AWSRequest(method="POST", url=ENDPOINT, data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
# The credential scope uses the signing name "ses", not the "email" host label.
SigV4Auth(creds, "ses", REGION).add_auth(request)

for name, value in request.headers.items():
    print(f"{name}: {value}")

if "--send" in sys.argv[1:]:
    # Send straight away: the signature is only accepted for a few minutes.
    http = urllib.request.Request(request.url, data=request.body,
                                  headers=dict(request.headers), method="POST")
    try:
        with urllib.request.urlopen(http, timeout=30) as resp:
            print(resp.status, resp.read().decode())
    except urllib.error.HTTPError as err:
        print(err.code, err.read().decode())
