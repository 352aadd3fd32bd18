"""Email through Django's mail framework (EMAIL_URL chooses SMTP, console, file ...)."""

from __future__ import annotations

import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage

from cases.channels import Message, PermanentError, TransientError


class DjangoEmailBackend:
    idempotent = False

    def send(self, message: Message) -> str:
        message_id = make_msgid(idstring=message.key, domain="hamroh")
        email = EmailMessage(
            subject=message.subject or "Hamroh",
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"Message-ID": message_id},
        )
        try:
            sent = email.send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            raise PermanentError(f"email refused: {type(exc).__name__}") from exc
        except smtplib.SMTPResponseException as exc:
            # 5yz replies are permanent by RFC 5321; 4yz are transient.
            error = PermanentError if 500 <= exc.smtp_code < 600 else TransientError
            raise error(f"SMTP {exc.smtp_code}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientError(f"email failed: {type(exc).__name__}") from exc
        if not sent:
            raise TransientError("email backend sent nothing")
        return message_id
