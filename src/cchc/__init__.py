"""CCHC: an open platform for Vietnamese public administration (cải cách hành chính)."""

__version__ = "0.1.0"
