"""UI preferences in `QSettings`, and where the app keeps its files.

QSettings holds interface preferences only: language, font size, idle minutes, the last
vault folder and the window geometry. Never data, never a name, never anything typed into a
search box; the settings file is plain text on a shared laptop. `Preferences` is the only
code that writes it, and it writes only the keys listed in `KEYS`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

LANGUAGES: tuple[tuple[str, str], ...] = (("en", "English"), ("cnr", "Crnogorski"))
DEFAULT_LANGUAGE = "en"
DEFAULT_IDLE_MINUTES = 5.0
MIN_FONT, MAX_FONT = 8, 24

KEYS = (
    "ui/language",
    "ui/font_size",
    "lock/idle_minutes",
    "vault/last_dir",
    "window/geometry",
)


def resource_dir() -> Path:
    """The `resources` data package on disk (icons, style sheet, translation sources).

    A plain path rather than importlib.resources: the package is always installed as files
    (never zipped), and importlib.resources costs ~15 ms of start-up.
    """
    import resources

    return Path(resources.__file__).parent


def vault_exists(directory: Path) -> bool:
    # Same test as screening.vault.vault_exists, without importing the vault (and its
    # cryptography stack) before the first window is on screen.
    return (directory / "slots.json").exists() or (directory / "vault.db").exists()


APP_FOLDER = "Screening Desk"


def default_vault_dir() -> Path:
    # The generic data folder plus the app's name once: AppDataLocation adds the
    # organisation and the application name, both "Screening Desk" (".../Screening Desk/
    # Screening Desk/vault"). Existing vaults are found through the remembered last folder.
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base) / APP_FOLDER / "vault"


def cache_dir() -> Path:
    """Built translations live here: derived files, rebuilt when missing."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation))


def log_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base) / "logs"


class Preferences:
    """Typed access to the few keys the app stores."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings if settings is not None else QSettings()

    def _get(self, key: str, default: object) -> object:
        value = self.qsettings.value(key, default)
        return default if value is None else value

    def _set(self, key: str, value: object) -> None:
        if key not in KEYS:  # a guard against someone storing data "just this once"
            raise KeyError(f"{key} is not a UI preference")
        self.qsettings.setValue(key, value)

    def sync(self) -> None:
        self.qsettings.sync()

    @property
    def language(self) -> str:
        value = str(self._get("ui/language", DEFAULT_LANGUAGE))
        return value if value in dict(LANGUAGES) else DEFAULT_LANGUAGE

    @language.setter
    def language(self, code: str) -> None:
        self._set("ui/language", code if code in dict(LANGUAGES) else DEFAULT_LANGUAGE)

    @property
    def font_size(self) -> int | None:
        """Point size of the interface font; None keeps the platform's default."""
        try:
            value = int(str(self._get("ui/font_size", 0)))
        except ValueError:
            return None
        return min(MAX_FONT, max(MIN_FONT, value)) if value else None

    @font_size.setter
    def font_size(self, size: int | None) -> None:
        self._set("ui/font_size", int(size or 0))

    @property
    def idle_minutes(self) -> float:
        try:
            value = float(str(self._get("lock/idle_minutes", DEFAULT_IDLE_MINUTES)))
        except ValueError:
            return DEFAULT_IDLE_MINUTES
        # Zero or negative would mean "never lock", which a shared laptop must not allow.
        return value if value > 0 else DEFAULT_IDLE_MINUTES

    @idle_minutes.setter
    def idle_minutes(self, minutes: float) -> None:
        self._set("lock/idle_minutes", float(minutes))

    @property
    def last_vault_dir(self) -> Path | None:
        value = str(self._get("vault/last_dir", ""))
        return Path(value) if value else None

    @last_vault_dir.setter
    def last_vault_dir(self, path: Path) -> None:
        self._set("vault/last_dir", str(path))

    @property
    def geometry(self) -> QByteArray | None:
        value = self._get("window/geometry", None)
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._set("window/geometry", value)
