"""People: persons with their protected personal data, target groups, and the audit of every reading of that data."""
