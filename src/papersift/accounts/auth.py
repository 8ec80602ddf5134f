"""Passwords, sessions, reset tokens, sign-in rate limits and signed links.

- Passwords are hashed with argon2id (argon2-cffi's defaults: RFC 9106 low-memory profile);
  the clear text is never stored, logged or put in an error.
- Session and reset tokens are 256-bit random strings; the store keeps their sha256 only, so a
  copy of the database opens no session.
- Sign-in failures are counted per email and per client address over a sliding window: past
  :data:`MAX_FAILURES` (or :data:`MAX_FAILURES_PER_CLIENT`) a sign-in is refused with the time
  to wait, even with the right password. A success clears the email's count.
- Signed links (unsubscribe) carry an HMAC-SHA256 of their purpose and subject under the
  instance's secret key: they work without signing in and cannot be forged for another id.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from papersift.errors import AccountError, AuthenticationError, RateLimitedError
from papersift.model import User

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from papersift.store import Store

SESSION_DAYS = 30
RESET_MINUTES = 60
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 takes any length; a megabyte "password" is an attack
WINDOW_MINUTES = 15
MAX_FAILURES = 5  # per email in the window
MAX_FAILURES_PER_CLIENT = 20  # per client address in the window
MAX_RESETS = 3  # reset emails per account and hour


def now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    check_password(password)
    return str(_hasher().hash(password))


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (argon2). Runs a full hash even with no stored
    hash, so an unknown email takes as long as a wrong password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    if stored is None or len(password) > MAX_PASSWORD:
        hasher.hash("not the password")  # same cost as a check
        return False
    try:
        return bool(hasher.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")


def check_email(email: str) -> str:
    email = email.strip().casefold()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or any(c.isspace() for c in email) or len(email) > 254:
        raise AccountError(f"{email!r} is not an email address")
    return email


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    token: str  # the session cookie's value: shown once, stored hashed
    expires: datetime


class Accounts:
    """Account operations over a store. Every method runs in its own transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def sign_up(self, email: str, password: str) -> User:
        email = check_email(email)
        hashed = hash_password(password)
        with self.store.atomic():
            if self.store.find_user(email) is not None:
                raise AccountError(f"an account for {email} exists already: sign in")
            return self.store.create_user(email, email, hashed)

    def _limit(self, keys: list[tuple[str, int]], moment: datetime) -> None:
        since = stamp(moment - timedelta(minutes=WINDOW_MINUTES))
        for key, most in keys:
            failures = self.store.login_failures(key, since)
            if len(failures) >= most:
                oldest = datetime.fromisoformat(failures[-most])
                wait = oldest + timedelta(minutes=WINDOW_MINUTES) - moment
                seconds = max(int(wait.total_seconds()) + 1, 1)
                raise RateLimitedError(
                    f"too many failed sign-ins: try again in {seconds // 60 + 1} minutes",
                    retry_after=seconds,
                )

    def sign_in(self, email: str, password: str, *, client: str = "") -> SignedIn:
        """A new session, or :class:`AuthenticationError` (the same words whether the email
        or the password was wrong) or :class:`RateLimitedError`."""
        moment = now()
        email_key = "email:" + email.strip().casefold()
        keys = [(email_key, MAX_FAILURES)]
        if client:
            keys.append(("client:" + client, MAX_FAILURES_PER_CLIENT))
        with self.store.atomic():
            self._limit(keys, moment)
        user = self.store.find_user(email)
        stored = self.store.password_hash(user.id) if user else None
        if user is None or not verify_password(stored, password):
            with self.store.atomic():
                for key, _ in keys:
                    self.store.add_login_failure(key, stamp(moment))
            raise AuthenticationError("wrong email or password")
        return self.start_session(user, clear=email_key)

    def start_session(self, user: User, *, clear: str | None = None) -> SignedIn:
        token = new_token()
        expires = now() + timedelta(days=SESSION_DAYS)
        with self.store.atomic():
            if clear:
                self.store.clear_login_failures(clear)
            self.store.add_session(user.id, token_hash(token), stamp(expires))
        return SignedIn(user, token, expires)

    def session_user(self, token: str | None) -> User | None:
        if not token or len(token) > 200:
            return None
        return self.store.session_user(token_hash(token), stamp(now()))

    def sign_out(self, token: str) -> None:
        with self.store.atomic():
            self.store.delete_session(token_hash(token))

    def request_reset(self, email: str) -> tuple[User, str] | None:
        """A single-use reset token for the account of ``email`` (None if there is none, or
        if :data:`MAX_RESETS` were asked for in the last hour: nobody's inbox is flooded; the
        caller says the same either way)."""
        user = self.store.find_user(email)
        if user is None or not user.email:
            return None
        token = new_token()
        key = f"reset:{user.id}"
        moment = now()
        with self.store.atomic():
            if (
                len(self.store.login_failures(key, stamp(moment - timedelta(hours=1))))
                >= MAX_RESETS
            ):
                return None
            self.store.add_login_failure(key, stamp(moment))
            self.store.add_reset(
                user.id, token_hash(token), stamp(now() + timedelta(minutes=RESET_MINUTES))
            )
        return user, token

    def reset_password(self, token: str, password: str) -> User:
        """Spend a reset token on a new password; every session of the user ends."""
        hashed = hash_password(password)
        with self.store.atomic():
            user_id = self.store.use_reset(token_hash(token), stamp(now()))
            if user_id is None:
                raise AuthenticationError("this reset link is invalid, used or expired")
            self.store.set_password_hash(user_id, hashed)
            self.store.delete_sessions(user_id)
            user = self.store.get_user(user_id)
        assert user is not None
        return user

    def change_password(self, user: User, old: str, new: str) -> None:
        if not verify_password(self.store.password_hash(user.id), old):
            raise AuthenticationError("the current password is wrong")
        hashed = hash_password(new)
        with self.store.atomic():
            self.store.set_password_hash(user.id, hashed)
            self.store.delete_sessions(user.id)


# --- signed links -------------------------------------------------------------------------------
def sign(secret: bytes, purpose: str, subject: str) -> str:
    mac = hmac.new(secret, f"{purpose}:{subject}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:20]).decode().rstrip("=")


def check_signature(secret: bytes, purpose: str, subject: str, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, purpose, subject), signature)


def csrf_token(secret: bytes, session_token: str) -> str:
    """The CSRF token of a session (double submit, bound to the session: no storage)."""
    return sign(secret, "csrf", token_hash(session_token))
