"""Mihwar dashboard building blocks: filtering, control view, map and offline assets (no Streamlit here)."""
