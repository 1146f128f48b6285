"""In-app notifications for every event a person must act on, and their e-mail copies.

E-mail goes through SMTP when TCLOUD_SMTP_URL is set, otherwise into instance/outbox/ as .eml
files a developer can read. E-mails leave only after the transaction that created the
notification commits (a rolled-back decision never mails anyone).
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.notifications import outbox
    from tcloud.notifications.views import bp, unread_badge

    app.register_blueprint(bp)
    app.context_processor(unread_badge)
    outbox.listen()
