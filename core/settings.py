"""The settings a reader of a figure must know (RULES §14): one registry feeds the command-line options and their
help, the sidebar's inputs and defaults, the URL's parameters and the signature printed on reports."""

from __future__ import annotations

from dataclasses import dataclass, fields

from core.formats import number
from core.i18n import t

DEFAULT_SPEED_NETWORKS: tuple[str, ...] = ("4G",)  # RULES §4: the planning target is about 4G


@dataclass(frozen=True)
class Setting:
    """One setting: where it lives (field, command-line flag, URL key), its default, its bounds and its words."""

    name: str
    flag: str
    url: str
    kind: type
    default: float
    minimum: float
    maximum: float
    step: float
    label: str  # i18n key
    help: str  # i18n key
    unit: str = ""


REGISTRY: tuple[Setting, ...] = (
    Setting(
        "speed_target_mbps",
        "--speed-target",
        "target",
        float,
        40.0,
        1.0,
        1000.0,
        5.0,
        "speed_target",
        "help_speed_target",
        "Mbps",
    ),
    Setting("quota", "--quota", "quota", int, 300, 1, 100_000, 50, "quota", "help_quota"),
    Setting("min_samples", "--min-samples", "min", int, 30, 1, 10_000, 5, "min_samples", "help_min_samples"),
    # RULES §20: how far one device's repeated tests count (0 = every test counts, as before).
    Setting("device_day_cap", "--device-day-cap", "cap", int, 0, 0, 100, 1, "device_day_cap", "help_device_day_cap"),
    # RULES §21: the campaign-quality verdict's thresholds.
    Setting("min_devices", "--min-devices", "devmin", int, 5, 1, 10_000, 1, "min_devices", "help_min_devices"),
    Setting(
        "max_top_device_pct",
        "--max-top-device",
        "topdev",
        int,
        50,
        1,
        100,
        5,
        "max_top_device_pct",
        "help_max_top_device_pct",
        "%",
    ),
    Setting(
        "min_cell_pct", "--min-cell-share", "cellmin", int, 10, 0, 100, 1, "min_cell_pct", "help_min_cell_pct", "%"
    ),
    Setting(
        "max_office_pct",
        "--max-office-hours",
        "office",
        int,
        80,
        1,
        100,
        5,
        "max_office_pct",
        "help_max_office_pct",
        "%",
    ),
)
BY_NAME = {s.name: s for s in REGISTRY}


@dataclass(frozen=True)
class Settings:
    """Targets and thresholds in force for a figure (defaults from REGISTRY)."""

    speed_target_mbps: float = BY_NAME["speed_target_mbps"].default
    quota: int = int(BY_NAME["quota"].default)
    min_samples: int = int(BY_NAME["min_samples"].default)
    device_day_cap: int = int(BY_NAME["device_day_cap"].default)
    min_devices: int = int(BY_NAME["min_devices"].default)
    max_top_device_pct: int = int(BY_NAME["max_top_device_pct"].default)
    min_cell_pct: int = int(BY_NAME["min_cell_pct"].default)
    max_office_pct: int = int(BY_NAME["max_office_pct"].default)

    def __post_init__(self) -> None:
        for f in fields(self):
            setting = BY_NAME[f.name]
            value = getattr(self, f.name)
            if not (setting.minimum <= value <= setting.maximum):
                raise ValueError(f"{f.name}={value} outside [{setting.minimum}, {setting.maximum}]")

    def signature(self, lang: str) -> str:
        """The settings in words, for the foot of a report: what a reader needs to reproduce its figures."""
        return " · ".join(
            f"{t(s.label, lang)}: {number(getattr(self, s.name), 0 if s.kind is int or float(getattr(self, s.name)).is_integer() else 1, lang)}"
            for s in REGISTRY
        )


def parse_setting(setting: Setting, text: str | None) -> float | int | None:
    """A value for the setting from text (a URL or a command line), or None when it is not a valid one."""
    if text is None:
        return None
    try:
        value = setting.kind(float(text)) if setting.kind is int and float(text).is_integer() else setting.kind(text)
    except (TypeError, ValueError):
        return None
    if value != value or not (setting.minimum <= value <= setting.maximum):  # NaN, or out of bounds
        return None
    return value
