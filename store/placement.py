"""How a stored measurement was placed (RULES §1, §13): the vocabulary of the snapshot columns ``assigned_by`` and
``unassigned_reason``, and the words for each reason.

``unassigned_reason`` is ``<location>`` or ``<location>+<code>``: location ``no_location`` (no coordinates) or
``outside`` (coordinates outside every loaded commune); code ``no_list`` (a referral code but no referral list
loaded), ``not_in_list`` (the list does not have the code and it is not a GSO code of a known commune), ``unmatched``
(the list has the code but could not place it) or ``former`` (the code's commune no longer exists and lies outside
today's communes). A measurement without a code has the location part alone.
"""

from __future__ import annotations

from core.i18n import Msg

BY_LOCATION = "location"
BY_REFERRAL = "referral"
LOCATION_REASONS = ("no_location", "outside")
CODE_REASONS = ("no_list", "not_in_list", "unmatched", "former")
NOT_RECORDED = "not_recorded"  # an unassigned measurement of a store written before reasons were kept


def reason(location: str, code: str | None) -> str:
    return location if code is None else f"{location}+{code}"


def reason_words(value: str | None) -> Msg:
    """The reason in words: 'Không có tọa độ, mã giới thiệu không có trong danh sách'."""
    if not value or value == NOT_RECORDED:
        return Msg("unassigned_not_recorded")
    location, _, code = value.partition("+")
    return Msg(
        "unassigned_reason_join",
        location=Msg(f"unassigned_{location}"),
        code=Msg(f"unassigned_code_{code or 'none'}"),
    )
