"""MkDocs adapters over the MkDocs-free core in harness/ and verification/."""
