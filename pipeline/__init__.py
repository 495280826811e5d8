"""Mihwar's pipeline: read articles, find places and side-attributed claims, store and export them."""

__version__ = "0.2.0"
