"""Sending mail over SMTP (plain, STARTTLS or implicit TLS), or into a folder (dry runs).

The password is a :class:`~papersift.config.Secret`: it is revealed only to ``smtplib.login``
and appears in no message, log or error.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from papersift.config import NO_SECRET, Secret
from papersift.errors import DeliveryError


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int = 0  # 0: 465 with ssl, else 587 (25 with security "none")
    security: str = "starttls"  # starttls | ssl | none
    user: str = ""
    password: Secret = NO_SECRET
    timeout: float = 30.0

    @property
    def effective_port(self) -> int:
        if self.port:
            return self.port
        return {"ssl": 465, "none": 25}.get(self.security, 587)


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


class SmtpMailer:
    """One SMTP connection, opened on the first message and reused."""

    def __init__(self, settings: SmtpSettings) -> None:
        if not settings.host:
            raise DeliveryError("no SMTP server configured (set PAPERSIFT_SMTP_HOST)")
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.effective_port}"

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            smtp: smtplib.SMTP
            if s.security == "ssl":
                context = ssl.create_default_context()
                smtp = smtplib.SMTP_SSL(
                    s.host, s.effective_port, timeout=s.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.host, s.effective_port, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password.reveal())
        except smtplib.SMTPAuthenticationError:
            raise DeliveryError(f"{self._where()}: the SMTP server refused the login") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"{self._where()}: cannot connect: {exc}") from None
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise DeliveryError(
                f"{self._where()}: sending to {message['To']} failed: {exc}"
            ) from None

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None


class FolderMailer:
    """Writes each message as ``NNN-<to>.eml`` into a folder (``digest send --dry-run``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sent: list[Path] = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeliveryError(f"{folder}: cannot create the folder: {exc.strerror}") from None

    def send(self, message: EmailMessage) -> None:
        safe = "".join(c if c.isalnum() or c in "@.-_" else "_" for c in str(message["To"]))
        path = self.folder / f"{len(self.sent) + 1:03d}-{safe}.eml"
        path.write_bytes(message.as_bytes())
        self.sent.append(path)

    def close(self) -> None:
        pass


def reset_message(to: str, url: str, *, sender: str, minutes: int) -> EmailMessage:
    """The password reset email: the single-use link, plain text."""
    from email.utils import formatdate, make_msgid

    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = "papersift: reset your password"
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid()
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(
        "Someone (we hope you) asked to reset the password of your papersift account.\n\n"
        f"Choose a new password here (the link works once, within {minutes} minutes):\n"
        f"{url}\n\nIf it was not you, ignore this message: your password stays as it is.\n"
    )
    return msg
