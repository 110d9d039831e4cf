"""moto's SES and SESv2 over HTTPS, checking every request's SigV4 signature.

The key AKIDEXAMPLE (AWS's example pair) belongs to an IAM user allowed ses:*, and sender@example.com is a
verified identity in us-east-1, as on an account out of the SES sandbox.

usage: ses_server.py CERT KEY   (listens on 0.0.0.0:443)
"""
import json
import os
import sys

os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"  # moto reads it at import: authenticate from the first request

from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam.models import iam_backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.ses.models import ses_backends
from werkzeug.serving import run_simple

KEY_ID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION, SENDER = "us-east-1", "sender@example.com"

iam = iam_backends[DEFAULT_ACCOUNT_ID]["aws"]
iam.create_user(REGION, "ses-sender")
iam.put_user_policy("ses-sender", "ses-all", json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "ses:*", "Resource": "*"}]}))
# IAM hands out random keys; the lab needs the example pair the page signs with.
key = iam.create_access_key("ses-sender")
del iam.access_keys[key.access_key_id]
key.access_key_id, key.secret_access_key = KEY_ID, SECRET
iam.access_keys[KEY_ID] = key

ses_backends[DEFAULT_ACCOUNT_ID][REGION].verify_email_identity(SENDER)

moto = DomainDispatcherApplication(create_backend_app)


def app(environ, start_response):
    # moto's /moto-api/ needs no signature and could switch authentication off (reset-auth) or drop the key
    # (reset); only the read-only record of sent mail stays open.
    if environ["PATH_INFO"].startswith("/moto-api") and (
            environ["PATH_INFO"], environ["REQUEST_METHOD"]) != ("/moto-api/data.json", "GET"):
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [b"moto-api disabled\n"]
    return moto(environ, start_response)


run_simple("0.0.0.0", 443, app, threaded=True, ssl_context=(sys.argv[1], sys.argv[2]),
           request_handler=MotoRequestHandler)
