python3 -m venv /opt/sesv4
/opt/sesv4/bin/pip install botocore
