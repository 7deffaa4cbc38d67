"""Referral codes: GSO-code matching confirmed by names, name-only lists, and what is reported."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.__main__ import main as cli
from core.errors import UserError
from ingest.referral import import_referral
from store.transaction import open_store
from tests.conftest import tree_digest

BAC_KAN = """STT,Mã giới thiệu,Xã/Phường,Huyện/Quận,Tỉnh/Thành phố
1,0605801834,Phường Nguyễn Thị Minh Khai,Thành Phố Bắc Kạn,Tỉnh Bắc Kạn
2,0605801837,Phường Sông Cầu,Thành Phố Bắc Kạn,Tỉnh Bắc Kạn
3,0605801840,Phường Đức Xuân,Thành Phố Bắc Kạn,Tỉnh Bắc Kạn
4,0605801843,Phường Phùng Chí Kiên,Thành Phố Bắc Kạn,Tỉnh Bắc Kạn
5,0605801846,Phường Huyền Tung,Thành Phố Bắc Kạn,Tỉnh Bắc Kạn
6,0605801849,Xã Dương Quang,Thành Phố Bắc Kạn,Tỉnh Bắc Kạn
7,0605801852,Xã Nông Thượng,Thành Phố Bắc Kạn,Tỉnh Bắc Kạn
8,0605801855,Phường Xuất Hóa,Thành Phố Bắc Kạn,Tỉnh Bắc Kạn
"""


def test_bac_kan_list_matches_by_code_and_reports_the_spelling(shared_geo, tmp_path, capsys):
    store = open_store(tmp_path / "s", create=True)
    assert cli(["boundaries", str(shared_geo / "vn_communes_2024.parquet"), "--store", str(store.root)]) == 0
    (tmp_path / "bk.csv").write_text(BAC_KAN, encoding="utf-8")
    assert cli(["referral", str(tmp_path / "bk.csv"), "--store", str(store.root)]) == 0
    out = capsys.readouterr().out
    assert "8 mã, 8 mã đã gắn xã, 0 mã chưa gắn, 1 điểm cần xem" in out
    assert "0605801846" in out and "Huyền Tung" in out and "Huyền Tụng" in out and "khác dấu" in out
    table = pd.read_parquet(store.referral_path)
    assert table["commune_code"].tolist() == ["01834", "01837", "01840", "01843", "01846", "01849", "01852", "01855"]
    assert set(table["match_method"]) == {"gso_code"}


def test_code_decides_when_names_disagree(tiny_store, tmp_path):
    (tmp_path / "r.csv").write_text(
        "Mã giới thiệu,Xã/Phường,Huyện/Quận\n0100100003,Xã Khác Hẳn,Huyện Hai\n", encoding="utf-8"
    )
    result = import_referral(tiny_store, tmp_path / "r.csv")
    assert result.table["commune_code"].tolist() == ["00003"]
    told = result.problems[0].render("en")
    assert "disagrees" in told and "the code decides" in told


def test_names_alone_when_codes_are_not_gso(tiny_store, tmp_path):
    (tmp_path / "r.csv").write_text(
        "STT;Mã giới thiệu;Xã/Phường;Huyện/Quận;Tỉnh/Thành phố\n"
        "1;CAMP-A;xa an binh;Huyện Một;Tỉnh Thử Nghiệm\n"
        "2;CAMP-B;Thị trấn Nà Phặc;;\n"
        "3;CAMP-C;Xã Không Có;Huyện Một;Tỉnh Thử Nghiệm\n",
        encoding="utf-8",
    )
    result = import_referral(tiny_store, tmp_path / "r.csv")
    assert result.table.set_index("referral_code")["commune_code"].to_dict() == {
        "CAMP-A": "00001",
        "CAMP-B": "00004",
        "CAMP-C": None,
    }
    assert any("CAMP-C" in p.render("en") and "no commune named" in p.render("en") for p in result.problems)


def test_ambiguous_names_are_reported_not_guessed(tmp_path):
    from ingest.boundaries import import_boundaries
    from tests.conftest import tiny_boundaries

    frame = tiny_boundaries()
    frame.loc[2, "commune_name"] = "Xã An Bình"  # same name in the other district
    frame.to_parquet(tmp_path / "b.parquet")
    store = open_store(tmp_path / "s", create=True)
    import_boundaries(store, tmp_path / "b.parquet")
    (tmp_path / "r.csv").write_text("Mã giới thiệu,Xã/Phường\nX1,Xã An Bình\nX2,Thị trấn Nà Phặc\n", encoding="utf-8")
    result = import_referral(store, tmp_path / "r.csv")
    assert result.table.set_index("referral_code")["commune_code"].to_dict() == {"X1": None, "X2": "00004"}
    assert any("matches 2 communes" in p.render("en") for p in result.problems)
    # Naming the district resolves it.
    (tmp_path / "r2.csv").write_text("Mã giới thiệu,Xã/Phường,Huyện/Quận\nX1,Xã An Bình,Huyện Hai\n", encoding="utf-8")
    assert import_referral(store, tmp_path / "r2.csv").table["commune_code"].tolist() == ["00003"]


def test_list_that_matches_nothing_is_refused(tiny_store, tmp_path, capsys):
    (tmp_path / "r.csv").write_text("Mã giới thiệu,Xã/Phường\nZ1,Xã Nowhere\nZ2,Phường Nothing\n", encoding="utf-8")
    before = tree_digest(tiny_store.root)
    assert cli(["referral", str(tmp_path / "r.csv"), "--store", str(tiny_store.root)]) == 2
    err = capsys.readouterr().err
    assert "không mã nào trong 2 mã giới thiệu khớp" in err and len(err.strip().splitlines()) == 1
    assert tree_digest(tiny_store.root) == before


def test_list_without_code_column_is_refused(tiny_store, tmp_path):
    (tmp_path / "r.csv").write_text("STT,Tên\n1,Xã An Bình\n", encoding="utf-8")
    with pytest.raises(UserError, match="Dòng đầu tiên có: STT | Tên"):
        import_referral(tiny_store, tmp_path / "r.csv")


def test_xlsx_list_with_codes_as_numbers(tiny_store, tmp_path):
    # Excel turns 0100100002 into the number 100100002: the code is recovered from the commune code part.
    pd.DataFrame({"STT": [1], "Mã giới thiệu": [100100002], "Xã/Phường": ["Phường Huyền Tụng"]}).to_excel(
        tmp_path / "r.xlsx", index=False
    )
    result = import_referral(tiny_store, tmp_path / "r.xlsx")
    assert result.table["commune_code"].tolist() == ["00002"]
