"""The Spark suite (make test-spark): left out of make test by python/tests/conftest.py.

A package, so that its modules import the main suite's conftest by name beside their own.
"""
