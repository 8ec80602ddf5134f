"""The facade's accounts: users, local mode, the signing key, mail and password resets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from papersift.config import Secret
from papersift.errors import UsageError
from papersift.facade.base import FacadeBase
from papersift.model import User

if TYPE_CHECKING:
    from papersift.accounts.auth import Accounts
    from papersift.deliver.mail import Mailer


class AccountsFacade(FacadeBase):
    """Users, sign-in keys, mail."""

    # Users, libraries, recommendations, digests and feeds (issue 5). The logic lives in
    # papersift.accounts, papersift.recommend and papersift.deliver; these methods gather data.
    LOCAL_USER = "me"  # the one user of local mode when no name is given

    def accounts(self) -> Accounts:
        from papersift.accounts.auth import Accounts

        return Accounts(self.store)

    def local_mode(self, *, loopback: bool = True) -> bool:
        """One user, no sign-in: the setting, or (``auto``) on where the caller is local."""
        mode = self.settings.local_mode if self.settings else "auto"
        return mode == "on" or (mode == "auto" and loopback)

    def user(self, name: str | None = None, *, create: bool | None = None) -> User:
        """The user called ``name`` (a local handle or an email). In local mode (or with
        ``create``) a missing user is created on first use, without a password."""
        from papersift.errors import UserNotFoundError

        name = (name or self.LOCAL_USER).strip()
        if not name:
            raise UsageError("a user name must not be empty")
        found = self.store.find_user(name)
        if found is not None:
            return found
        if not (self.local_mode() if create is None else create):
            raise UserNotFoundError(name)
        email = name.casefold() if "@" in name else None
        with self.store.atomic():
            found = self.store.find_user(name)
            return found or self.store.create_user(name, email, None)

    def secret_key(self) -> bytes:
        """The key that signs links and CSRF tokens: the setting, else one made at random on
        first use and kept in the store."""
        if self.settings and self.settings.secret_key:
            return self.settings.secret_key.reveal().encode()
        key = self.store.get_state("accounts.secret_key")
        if key is None:
            import secrets

            with self.store.atomic():
                key = self.store.get_state("accounts.secret_key")
                if key is None:
                    key = secrets.token_hex(32)
                    self.store.set_state("accounts.secret_key", key)
        return key.encode()

    def mailer(self) -> Mailer:
        """The SMTP mailer the settings describe."""
        from papersift.deliver.mail import SmtpMailer, SmtpSettings

        s = self.settings
        return SmtpMailer(
            SmtpSettings(
                host=s.smtp_host if s else "",
                port=s.smtp_port if s else 0,
                security=s.smtp_security if s else "starttls",
                user=s.smtp_user if s else "",
                password=s.smtp_password if s else Secret(""),
            )
        )

    def send_password_reset(self, email: str, *, mailer: Mailer | None = None) -> bool:
        """Email a single-use reset link to the account of ``email``; False when there is no
        such account (callers say the same either way)."""
        from papersift.accounts.auth import RESET_MINUTES
        from papersift.deliver.mail import reset_message

        found = self.accounts().request_reset(email)
        if found is None:
            return False
        user, token = found
        assert user.email is not None
        sender = self.settings.mail_from if self.settings else "papersift <papersift@localhost>"
        message = reset_message(
            user.email, f"{self._base_url()}/reset/{token}", sender=sender, minutes=RESET_MINUTES
        )
        mailer = mailer or self.mailer()
        try:
            mailer.send(message)
        finally:
            mailer.close()
        return True
