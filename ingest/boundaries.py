"""Loading commune boundaries into the store (the `boundaries` command and the Data page).

Replacing loaded boundaries must be asked for: it changes which commune every stored measurement counts in, so
the snapshots are placed again, and the referral list matched again, in the same transaction as the new boundaries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from core.errors import UserError
from geo.boundaries import BoundaryImport, load_boundaries, read_boundaries
from ingest.derived import stage_display
from ingest.history import default_effective_from, record_first, record_replacement
from ingest.reassign import Moves, reassign_store
from ingest.referral import ReferralImport, rematch, save_referral_table
from store.audit import Actor, command_line_actor, file_facts
from store.transaction import Store, Transaction, transaction


@dataclass
class BoundaryChange:
    """What loading boundaries did: the file read, the set now in force, and, when replacing, what moved."""

    result: BoundaryImport
    entry: dict
    moves: Moves | None = None
    referral: ReferralImport | None = None


def import_boundaries(
    store: Store,
    path: Path,
    mapping: dict[str, str] | None = None,
    crs: str | None = None,
    replace: bool = False,
    *,
    effective_from: str | None = None,
    actor: Actor | None = None,
    shown_name: str | None = None,
    wait: float = 0.0,
    on_wait: Callable[[dict], None] | None = None,
) -> BoundaryChange:
    """Normalize a boundary file into ``boundaries.parquet``.

    Replacing boundaries (RULES §17) keeps the earlier set, matches the referral list again (old codes and names are
    traced to the communes of today that contain their old communes), and places every stored measurement again,
    all in one transaction. ``effective_from`` (YYYY-MM) is the first month the new set is in force; by default the
    2025 reform's July 2025 when communes without districts replace communes with districts, else every month.

    ``actor`` is who asks (default: the user at this terminal); ``shown_name`` the file's name as the user knows it
    (an upload's name rather than the server's temporary path)."""
    result = read_boundaries(path, mapping, crs)
    new = result.frame
    with transaction(store, "boundaries", actor or command_line_actor(), wait=wait, on_wait=on_wait) as tx:
        if store.has_boundaries() and not replace:
            raise UserError("err_boundaries_exist", store=str(store.root))
        old = load_boundaries(store.boundaries_path) if store.has_boundaries() else None
        staged = tx.path_for("boundaries.parquet", overwrite=replace)
        new.to_parquet(staged, index=False, compression="zstd", write_covering_bbox=False)
        stage_display(tx, new, staged)  # the maps' geometry, kept with the boundaries it is drawn from
        facts = file_facts(path, shown_name)
        since = effective_from or default_effective_from(old, new)
        change = BoundaryChange(result, {})
        if old is None:
            change.entry = record_first(store, tx, new, facts, since)
        else:
            change.entry, earlier = record_replacement(store, tx, old, new, facts, since)
            change.referral = _rematch_referral(store, tx, new, earlier)
            names_before = dict(zip(old["commune_code"], old["commune_name"], strict=True))
            table = change.referral.table if change.referral else None
            change.moves = reassign_store(store, tx, new, referral=table, earlier=earlier, names_before=names_before)
        tx.details.update(
            {
                "file": facts,
                "communes": len(new),
                "provinces": int(new["province_code"].nunique()),
                "districts": int(new["district_code"].nunique()),
                "effective_from": since,
                "replaced_communes": None if old is None else len(old),
                "reassigned": change.moves.facts() if change.moves else {},
                "referral_rematched": None if change.referral is None else change.referral.matched,
            }
        )
    return change


def _rematch_referral(store: Store, tx: Transaction, new: gpd.GeoDataFrame, earlier: list) -> ReferralImport | None:
    """The stored referral list matched again to the new communes, from the list's own words."""
    if not store.referral_path.exists():
        return None
    table = pd.read_parquet(store.referral_path)
    if "given_commune_name" not in table:  # a list stored before its words were kept: matched as it was stored
        table = table.assign(
            given_commune_code=None,
            given_commune_name=table["commune_name"],
            given_district_name=table["district_name"],
            given_province_name=table["province_name"],
            source_file=None,
            line=None,
            former=False,
        )
    result = rematch(table, new, earlier)
    save_referral_table(tx, result.table)
    return result
