"""AWS Signature Version 4 worked examples, computed at build time from a declared request."""
