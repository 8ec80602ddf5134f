"""SMTP security settings against a real aiosmtpd on loopback with a self-signed certificate
(trusted through SSL_CERT_FILE): STARTTLS with login, implicit TLS (ssl), a refused login whose
error never shows the password, and an untrusted certificate refused."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from papersift.config import Secret
from papersift.deliver.mail import SmtpMailer, SmtpSettings
from papersift.errors import DeliveryError
from tests.accounts.smtp import Inbox, free_port

PASSWORD = "smtp-pass-w0rd"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[1]), str(certificate[0]))
    return context


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = data.login == b"mailer" and data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself


def _message() -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "p@example.org", "r@example.org", "hello"
    msg.set_content("body")
    return msg


@pytest.fixture
def trusted(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[1]))


@pytest.fixture
def starttls(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=_server_context(certificate),
        require_starttls=True,
        authenticator=_login,
        auth_required=True,
    )
    controller.start()
    yield inbox, port
    controller.stop()


def test_starttls_with_login(trusted: None, starttls: tuple[Inbox, int]) -> None:
    inbox, port = starttls
    mailer = SmtpMailer(
        SmtpSettings("127.0.0.1", port, "starttls", user="mailer", password=Secret(PASSWORD))
    )
    mailer.send(_message())
    mailer.close()
    assert [m["Subject"] for m in inbox.messages] == ["hello"]


def test_refused_login_never_shows_the_password(trusted: None, starttls: tuple[Inbox, int]) -> None:
    _, port = starttls
    settings = SmtpSettings(
        "127.0.0.1", port, "starttls", user="mailer", password=Secret("wrong-one")
    )
    with pytest.raises(DeliveryError) as refused:
        SmtpMailer(settings).send(_message())
    assert "refused the login" in refused.value.message
    assert "wrong-one" not in refused.value.message and "wrong-one" not in repr(settings)


def test_plain_connection_refused_where_starttls_is_required(starttls: tuple[Inbox, int]) -> None:
    _, port = starttls
    with pytest.raises(DeliveryError):
        SmtpMailer(SmtpSettings("127.0.0.1", port, "none")).send(_message())


def test_untrusted_certificate_is_refused(starttls: tuple[Inbox, int]) -> None:
    _, port = starttls  # no SSL_CERT_FILE: the self-signed certificate is not trusted
    with pytest.raises(DeliveryError, match="cannot connect"):
        SmtpMailer(SmtpSettings("127.0.0.1", port, "starttls")).send(_message())


def test_implicit_tls(trusted: None, certificate: tuple[Path, Path]) -> None:
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, ssl_context=_server_context(certificate)
    )
    controller.start()
    try:
        mailer = SmtpMailer(SmtpSettings("127.0.0.1", port, "ssl"))
        mailer.send(_message())
        mailer.close()
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
