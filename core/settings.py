"""Settings a reader of a figure must know: targets and thresholds (rule 5.6)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Targets are settings (rule 5.6)."""

    speed_target_mbps: float = 40.0
    quota: int = 300
    min_samples: int = 30
