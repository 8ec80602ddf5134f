"""Settings: one table of names, defaults and help; resolved env PAPERSIFT_* > defaults.

The library itself never reads the environment: the composition root (the CLI, the web app
factory) calls :func:`Settings.from_env` and passes the result down.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from papersift.errors import ConfigError


def _default_home() -> str:
    import platformdirs

    return platformdirs.user_data_dir("papersift", appauthor=False)


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("home", "data directory (the default store lives here); env PAPERSIFT_HOME"),
    Setting(
        "db",
        "store location: a SQLite file path or a postgresql:// URL; env PAPERSIFT_DB "
        "(default: HOME/papersift.sqlite3)",
    ),
    Setting("arxiv_api_url", "arXiv API base URL; env PAPERSIFT_ARXIV_API_URL"),
    Setting("arxiv_rss_url", "arXiv RSS/Atom listing base URL; env PAPERSIFT_ARXIV_RSS_URL"),
    Setting("arxiv_oai_url", "arXiv OAI-PMH base URL; env PAPERSIFT_ARXIV_OAI_URL"),
    Setting("hf_api_url", "Hugging Face API base URL; env PAPERSIFT_HF_API_URL"),
    Setting(
        "arxiv_delay",
        "seconds between two arXiv requests (arXiv asks for 3); env PAPERSIFT_ARXIV_DELAY",
    ),
    # accounts and digests (issue 5)
    Setting(
        "local_mode",
        "auto | on | off: one user, no sign-in (auto: on for the CLI and for `serve` on "
        "loopback); env PAPERSIFT_LOCAL_MODE",
    ),
    Setting(
        "secret_key",
        "signs sessions' CSRF tokens and unsubscribe links (default: one made and kept in the "
        "store); env PAPERSIFT_SECRET_KEY",
    ),
    Setting("base_url", "public URL of the web app, for links in emails; env PAPERSIFT_BASE_URL"),
    Setting("smtp_host", "SMTP server for digests and resets; env PAPERSIFT_SMTP_HOST"),
    Setting("smtp_port", "SMTP port (default 587, 465 with ssl); env PAPERSIFT_SMTP_PORT"),
    Setting(
        "smtp_security", "starttls | ssl | none (default starttls); env PAPERSIFT_SMTP_SECURITY"
    ),
    Setting("smtp_user", "SMTP user name; env PAPERSIFT_SMTP_USER"),
    Setting("smtp_password", "SMTP password (never printed); env PAPERSIFT_SMTP_PASSWORD"),
    Setting("mail_from", "From address of digests; env PAPERSIFT_MAIL_FROM"),
    Setting(
        "admin_token",
        "bearer token for the web admin API (ingest uploads); unset: admin API off; "
        "env PAPERSIFT_ADMIN_TOKEN",
    ),
)


class Secret:
    """A value that must never be printed: its repr and str hide it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


NO_SECRET = Secret("")


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    db: str
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_rss_url: str = "https://rss.arxiv.org"
    arxiv_oai_url: str = "https://oaipmh.arxiv.org/oai"
    hf_api_url: str = "https://huggingface.co/api"
    arxiv_delay: float = 3.0
    local_mode: str = "auto"
    secret_key: Secret = NO_SECRET
    base_url: str = "http://127.0.0.1:8000"
    smtp_host: str = ""
    smtp_port: int = 0
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_password: Secret = NO_SECRET
    mail_from: str = "papersift <papersift@localhost>"
    admin_token: str | None = field(default=None, repr=False)  # a secret: never printed

    @classmethod
    def from_env(cls, env: Mapping[str, str], **overrides: object) -> Settings:
        """Settings from ``PAPERSIFT_*`` variables; ``overrides`` (from flags) win when not None."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"PAPERSIFT_{f.name.upper()}")
            if raw:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        home = Path(str(values.pop("home", None) or _default_home())).expanduser()
        db = str(values.pop("db", None) or home / "papersift.sqlite3")
        if "arxiv_delay" in values:
            try:
                values["arxiv_delay"] = float(str(values["arxiv_delay"]))
            except ValueError:
                raise ConfigError(
                    f"arxiv_delay must be a number of seconds, not {values['arxiv_delay']!r}"
                ) from None
        for name in ("secret_key", "smtp_password"):
            if name in values and not isinstance(values[name], Secret):
                values[name] = Secret(str(values[name]))
        if "smtp_port" in values:
            try:
                values["smtp_port"] = int(str(values["smtp_port"]))
            except ValueError:
                raise ConfigError(
                    f"smtp_port must be a number, not {values['smtp_port']!r}"
                ) from None
        for name, allowed in (
            ("local_mode", ("auto", "on", "off")),
            ("smtp_security", ("starttls", "ssl", "none")),
        ):
            if name in values and values[name] not in allowed:
                raise ConfigError(
                    f"{name} must be one of {', '.join(allowed)}, not {values[name]!r}"
                )
        return cls(home=home, db=db, **values)  # type: ignore[arg-type]
