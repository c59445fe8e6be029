"""Sending e-mail through the configured SMTP server — one sender for every app (meetings'
notices and summaries, arrears letters, invitations, lending notices).

Always Django's SMTP backend with the EMAIL_* settings, whatever EMAIL_BACKEND says: a statutory
notice must reach a real server (the demo's local catcher included), never a console. A refusal
is returned, not raised, so the caller records it on its row and the office can send again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def smtp_send(messages: list[EmailMessage]) -> tuple[int, str]:
    """Send through the configured SMTP server; returns (messages sent, error text or "")."""
    try:
        connection = get_connection(
            SMTP_BACKEND,
            host=settings.EMAIL_HOST,
            port=settings.EMAIL_PORT,
            username=settings.EMAIL_HOST_USER,
            password=settings.EMAIL_HOST_PASSWORD,
            use_tls=settings.EMAIL_USE_TLS,
            timeout=30,
            fail_silently=False,
        )
        return connection.send_messages(messages) or 0, ""
    except OSError as exc:  # smtplib's errors are OSErrors too
        return 0, _("SMTP sending failed (%(server)s): %(error)s") % {
            "server": f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}",
            "error": exc,
        }
