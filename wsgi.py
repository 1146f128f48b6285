"""Entry point for gunicorn and the `flask --app wsgi` CLI."""

from tcloud import create_app

app = create_app()
