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
    Setting(
        "admin_token",
        "bearer token for the web admin API (ingest uploads); unset: admin API off; "
        "env PAPERSIFT_ADMIN_TOKEN",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    db: str
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_rss_url: str = "https://rss.arxiv.org"
    arxiv_oai_url: str = "https://oaipmh.arxiv.org/oai"
    hf_api_url: str = "https://huggingface.co/api"
    arxiv_delay: float = 3.0
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
        return cls(home=home, db=db, **values)  # type: ignore[arg-type]
