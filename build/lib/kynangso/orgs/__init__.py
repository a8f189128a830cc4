"""Organisations: the one tree of administrative units, departments, schools, enterprises and associations."""
