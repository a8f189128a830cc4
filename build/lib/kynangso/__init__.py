"""Kỹ Năng Số: the platform that runs a province's digital-skills programme end to end."""
