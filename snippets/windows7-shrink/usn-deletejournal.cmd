fsutil usn deletejournal /d C:
