"""Loaded with ``-p tests.environment`` before Django starts: test-run environment defaults.

Tests run with production-like settings (debug off); these defaults make that workable
on a developer's machine. Anything already set in the environment wins.
"""

import os

os.environ.setdefault("TAHUB_SECRET_KEY", "test-secret-key-that-is-long-enough-for-django-checks-0123456789")
os.environ.setdefault("TAHUB_SSL_REDIRECT", "0")
os.environ.setdefault("TAHUB_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
