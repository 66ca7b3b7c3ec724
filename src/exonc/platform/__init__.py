"""The Django project: settings, URLs, and one app per trial concept.

Only this package (and the CLI) may import Django. Each app's ``services.py`` holds the use
cases; views and API endpoints are thin.
"""
