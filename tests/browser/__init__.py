"""The built book in a real (headless) Chromium: what a reader sees. See conftest.py."""
