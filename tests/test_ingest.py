"""Ingest: formats, encodings, normalization, every rejection reason, duplicates, assignment, atomicity."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.__main__ import main as cli
from core.errors import UserError
from ingest.measurements import ingest_files
from ingest.normalize import normalize_carrier, normalize_network
from ingest.referral import import_referral
from tests.conftest import tree_digest
from tests.helpers import HEADER, encode_cp1258, row, stored, write_csv


def ingest(store, *paths):
    return ingest_files(store, list(paths))


# ---- formats and encodings -------------------------------------------------------------------


def test_utf8_with_bom_semicolon_decimal_comma_vietnamese_headers_dayfirst(tiny_store, tmp_path):
    header = "Thời gian đo;Nhà mạng;Loại mạng;Tốc độ tải xuống (Mbps);Tốc độ tải lên (Mbps);Độ trễ (ms);Vĩ độ;Kinh độ"
    lines = ["15/10/2024 08:30:00;Viettel;4G;35,2;12,5;40;21,05;105,05", "16/10/2024 09:15;VinaPhone;4G;1.234,5;3;20;;"]
    path = tmp_path / "vn.csv"
    path.write_bytes(("\ufeff" + "\n".join([header, *lines]) + "\n").encode("utf-8"))
    [summary] = ingest(tiny_store, path)
    assert (summary.read, summary.accepted, summary.rejected) == (2, 2, 0)
    data = stored(tiny_store).sort_values("measured_at")
    assert list(data["download_mbps"]) == [35.2, 1234.5]
    assert data["measured_at"].iloc[0] == pd.Timestamp("2024-10-15 08:30", tz="Asia/Ho_Chi_Minh")
    assert data["measured_at"].iloc[1] == pd.Timestamp("2024-10-16 09:15", tz="Asia/Ho_Chi_Minh")
    assert data["commune_code"].iloc[0] == "00001"


def test_cp1258_export_with_combining_tone_marks(tiny_store, tmp_path):
    # Vietnamese Excel writes CP1258, where some tones are combining marks after the base letter.
    header = "Thời gian đo,Nhà mạng,Loại mạng,Tốc độ tải xuống (Mbps),Tốc độ tải lên (Mbps),Vĩ độ,Kinh độ,Mã giới thiệu"
    text = header + "\n2024-10-01 10:00,Viettel,4G,10,5,21.05,105.15,\n"
    raw = encode_cp1258(text)
    assert b"\xcc" in raw or b"\xec" in raw or b"\xd2" in raw  # combining tone marks present
    path = tmp_path / "cp1258.csv"
    path.write_bytes(raw)
    [summary] = ingest(tiny_store, path)
    assert summary.accepted == 1
    assert stored(tiny_store)["commune_code"].tolist() == ["00002"]


def test_kbps_columns_and_mcc_mnc_codes(tiny_store, tmp_path):
    path = write_csv(
        tmp_path / "kbps.csv",
        ["2024-10-01T10:00:00,452-04,LTE,35200,12000,21.05,105.05", "2024-10-01T11:00:00,45202,NR,150000,40000,,"],
        header="measured_at,mcc_mnc,network,download_kbps,upload_kbps,lat,lon",
    )
    ingest(tiny_store, path)
    data = stored(tiny_store).sort_values("measured_at")
    assert data["carrier"].tolist() == ["Viettel", "VinaPhone"]
    assert data["network_type"].tolist() == ["4G", "5G"]
    assert data["download_mbps"].tolist() == [35.2, 150.0]
    assert data["upload_mbps"].tolist() == [12.0, 40.0]
    assert data["access_type"].tolist() == ["mobile", "mobile"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("452-01", "MobiFone"),
        ("452-05", "Vietnamobile"),
        ("452-07", "Gmobile"),
        ("452-06", "Viettel"),
        ("452-08", "Viettel"),
        ("VIETTEL ", "Viettel"),
        ("Vina Phone", "VinaPhone"),
        ("Mobifone", "MobiFone"),
        ("FPT Telecom", "FPT"),
        ("vnpt", "VNPT"),
        ("Some New ISP", "Some New ISP"),
        ("", None),
    ],
)
def test_carrier_normalization(given, expected):
    assert normalize_carrier(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("LTE", "4G"),
        ("lte-a", "4G"),
        ("NR", "5G"),
        ("5G NSA", "5G"),
        ("wifi", "WIFI"),
        ("Wi-Fi", "WIFI"),
        ("HSPA+", "3G"),
        ("", None),
    ],
)
def test_network_normalization(given, expected):
    assert normalize_network(given) == expected


def test_time_zones_offsets_converted_and_month_by_local_time(tiny_store, tmp_path):
    path = write_csv(
        tmp_path / "tz.csv",
        [
            row(time="2024-10-31T18:30:00Z", dl=1),
            row(time="2024-10-31T23:30:00+07:00", dl=2),
            row(time="2024-10-31T23:30:00", dl=3),
        ],
    )
    ingest(tiny_store, path)
    data = stored(tiny_store).sort_values("download_mbps")
    # 18:30 UTC on 31 October is 01:30 on 1 November in Vietnam: it belongs to November.
    assert data["month"].tolist() == ["2024-11", "2024-10", "2024-10"]
    assert data["measured_at"].iloc[1] == data["measured_at"].iloc[2]  # offset +07:00 equals naive local
    nov = data[data["month"] == "2024-11"]
    assert nov["measured_at"].iloc[0] == pd.Timestamp("2024-11-01 01:30", tz="Asia/Ho_Chi_Minh")
    assert tiny_store.months() == ["2024-10", "2024-11"]


def test_xlsx_and_parquet_inputs(tiny_store, tmp_path):
    frame = pd.DataFrame(
        {
            "Thời gian đo": [pd.Timestamp("2024-10-02 10:00")],
            "Nhà mạng": ["MobiFone"],
            "Loại mạng": ["4G"],
            "Tốc độ tải xuống (Mbps)": [22.5],
            "Tốc độ tải lên (Mbps)": [7.0],
            "Vĩ độ": [21.05],
            "Kinh độ": [105.25],
        }
    )
    frame.to_excel(tmp_path / "m.xlsx", index=False)
    pq_frame = frame.rename(
        columns={
            "Thời gian đo": "measured_at",
            "Nhà mạng": "carrier",
            "Loại mạng": "network_type",
            "Tốc độ tải xuống (Mbps)": "download_mbps",
            "Tốc độ tải lên (Mbps)": "upload_mbps",
            "Vĩ độ": "lat",
            "Kinh độ": "lon",
        }
    )
    pq_frame["measured_at"] = pd.Timestamp("2024-10-03 03:00", tz="UTC")
    pq_frame.to_parquet(tmp_path / "m.parquet")
    ingest(tiny_store, tmp_path / "m.xlsx", tmp_path / "m.parquet")
    data = stored(tiny_store).sort_values("measured_at")
    assert data["commune_code"].tolist() == ["00003", "00003"]
    assert data["measured_at"].tolist() == [
        pd.Timestamp("2024-10-02 10:00", tz="Asia/Ho_Chi_Minh"),
        pd.Timestamp("2024-10-03 10:00", tz="Asia/Ho_Chi_Minh"),
    ]


# ---- rejected rows: every reason, with file, line and original values --------------------------


REASONS = [
    (row(time=""), "missing time"),
    (row(time="31/02/2024 10:00"), "cannot read the time"),
    (row(time="yesterday"), "cannot read the time"),
    (row(carrier=""), "missing carrier"),
    (row(dl=""), "missing speed"),
    (row(ul=""), "missing speed"),
    (row(dl="abc"), "speed is not a number"),
    (row(dl="inf"), "speed is not finite"),
    (row(ul="nan"), "speed is not a number"),
    (row(dl=-1), "negative speed"),
    (row(ul=-0.5), "negative speed"),
    (row(dl=10000.5), "above 10,000 Mbps"),
    (row(ul=20000), "above 10,000 Mbps"),
    (row(lat=95), "latitude outside -90 to 90"),
    (row(lon=-181), "longitude outside -180 to 180"),
    (row(lat="north"), "coordinate is not a number"),
    (row(lat=105.85, lon=21.03), "latitude and longitude are swapped"),
    (row(time="2015-06-01T10:00:00"), "before i-Speed existed"),
    (row(time="1970-01-01T07:00:00"), "before i-Speed existed"),
    (row(time="2031-01-01T10:00:00"), "after the moment of loading"),
    (row(time="9999-12-31T10:00:00"), "after the moment of loading"),
]


def test_every_rejection_reason_is_reported_with_file_line_and_values(tiny_store, tmp_path):
    good = row()
    lines = [good] + [r for r, _ in REASONS] + ["2024-10-01T10:00:00,Viettel,4G,1,2"]  # too few fields
    # More good rows than bad ones: a file that is mostly rejected is refused whole (tested below).
    lines += [row(time=f"2024-10-{d:02d}T09:00:00") for d in range(1, 29)]
    path = write_csv(tmp_path / "bad.csv", lines)
    [summary] = ingest(tiny_store, path)
    assert summary.read == len(lines)
    assert summary.accepted == 29
    assert summary.rejected == len(REASONS) + 1
    rejects = pd.read_csv(tiny_store.root / summary.rejects_file, dtype=str, keep_default_na=False)
    assert set(rejects["source_file"]) == {"bad.csv"}
    by_line = rejects.set_index(rejects["line"].astype(int))
    for i, (raw_row, reason) in enumerate(REASONS):
        line = i + 3  # header is line 1, the good row line 2
        assert reason in by_line.loc[line, "reason_en"], (line, raw_row)
        assert by_line.loc[line, "reason"], "and in Vietnamese"
        assert by_line.loc[line, "reason_code"] not in ("", "duplicate")
    # The original values travel with the reason.
    assert by_line.loc[2 + REASONS.index((row(dl=-1), "negative speed")) + 1, "download_mbps"] == "-1"
    malformed = by_line.loc[len(REASONS) + 3]
    assert "fields" in malformed["reason_en"] and malformed["raw_text"].startswith("2024-10-01T10:00:00")


def test_a_row_with_several_problems_lists_them_all(tiny_store, tmp_path):
    path = write_csv(tmp_path / "multi.csv", [row(carrier="", dl=-3), row(time="2024-10-02T10:00:00")])
    [summary] = ingest(tiny_store, path)
    rejects = pd.read_csv(tiny_store.root / summary.rejects_file)
    assert "missing carrier" in rejects["reason_en"].iloc[0] and "negative speed" in rejects["reason_en"].iloc[0]
    assert "thiếu nhà mạng" in rejects["reason"].iloc[0] and "tốc độ âm" in rejects["reason"].iloc[0]
    assert rejects["reason_code"].iloc[0] == "carrier_missing; speed_negative"


# ---- duplicates ------------------------------------------------------------------------------


def test_repeated_measurement_id_counted_once_first_kept(tiny_store, tmp_path):
    path = write_csv(
        tmp_path / "dup.csv",
        [
            "a1,2024-10-01T10:00:00,Viettel,4G,10,1",
            "a2,2024-10-01T11:00:00,Viettel,4G,20,2",
            "a1,2024-10-01T12:00:00,Viettel,4G,30,3",
        ],
        header="measurement_id,measured_at,carrier,network_type,download_mbps,upload_mbps",
    )
    [summary] = ingest(tiny_store, path)
    assert (summary.accepted, summary.duplicate, summary.rejected) == (2, 1, 0)
    data = stored(tiny_store)
    assert sorted(data["download_mbps"]) == [10.0, 20.0]
    rejects = pd.read_csv(tiny_store.root / summary.rejects_file)
    assert rejects["reason_code"].tolist() == ["duplicate"] and rejects["line"].tolist() == [4]


def test_ingesting_the_same_file_twice_adds_nothing(tiny_store, tmp_path):
    path = write_csv(tmp_path / "m.csv", [row(), row(time="2024-10-02T10:00:00")])
    ingest(tiny_store, path)
    before = tree_digest(tiny_store.root)
    [again] = ingest(tiny_store, path)
    assert again.accepted == 0 and again.duplicate == 2 and again.already_ingested
    assert tree_digest(tiny_store.root) == before


def test_same_rows_in_another_file_are_duplicates_by_stable_hash(tiny_store, tmp_path):
    ingest(tiny_store, write_csv(tmp_path / "a.csv", [row(), row(dl=60)]))
    # The same measurements exported again with a semicolon and decimal comma: same hash ids.
    b = tmp_path / "b.csv"
    b.write_text(
        HEADER.replace(",", ";") + "\n2024-10-15T10:00:00;Viettel;4G;50;20;30;21,05;105,05;\n"
        "2024-10-15T10:00:00;Viettel;4G;70;20;30;21,05;105,05;\n",
        encoding="utf-8",
    )
    [summary] = ingest(tiny_store, b)
    assert (summary.accepted, summary.duplicate) == (1, 1)
    assert len(stored(tiny_store)) == 3


# ---- commune assignment (RULES §1) -----------------------------------------------------------


def test_assignment_by_point_then_referral_then_unassigned(tiny_store, tmp_path):
    ref = tmp_path / "ref.csv"
    ref.write_text(
        "STT,Mã giới thiệu,Xã/Phường,Huyện/Quận,Tỉnh/Thành phố\n1,0100100004,Thị trấn Nà Phặc,Huyện Hai,"
        "Tỉnh Thử Nghiệm\n",
        encoding="utf-8",
    )
    import_referral(tiny_store, ref)
    path = write_csv(
        tmp_path / "m.csv",
        [
            row(lat=21.05, lon=105.05, ref="0100100004"),  # inside 00001: the point decides
            row(lat="", lon="", ref="0100100004"),  # no point: referral code
            row(lat=10.0, lon=106.0, ref="01001 00004"),  # point outside every commune: referral (spaces ignored)
            row(lat="", lon="", ref="UNKNOWN"),  # nothing: unassigned
            row(lat=21.05, lon=""),  # half a point is no point
        ],
    )
    [summary] = ingest(tiny_store, path)
    assert (summary.assigned_by_location, summary.assigned_by_referral, summary.unassigned) == (1, 2, 2)
    codes = stored(tiny_store).sort_values("download_mbps")["commune_code"]
    assert sorted(codes.fillna("-")) == ["-", "-", "00001", "00004", "00004"]


def test_point_on_shared_edge_or_overlap_counted_once(tiny_store, tmp_path):
    # lon 105.1 is the edge between 00001 and 00002: the point belongs to exactly one (the smaller code).
    [summary] = ingest(tiny_store, write_csv(tmp_path / "edge.csv", [row(lat=21.05, lon=105.1)]))
    assert summary.accepted == 1
    assert stored(tiny_store)["commune_code"].tolist() == ["00001"]


# ---- refused input: one-line reason, non-zero exit, store unchanged ---------------------------


def _refused(tiny_store, path, capsys, expect):
    before = tree_digest(tiny_store.root)
    code = cli(["--lang", "en", "ingest", str(path), "--store", str(tiny_store.root)])
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and expect in err, err
    # The same refusal in Vietnamese, the command line's default language.
    assert cli(["ingest", str(path), "--store", str(tiny_store.root)]) == code
    err_vi = capsys.readouterr().err.strip()
    assert len(err_vi.splitlines()) == 1 and err_vi.startswith("lỗi: ") and path.name in err_vi, err_vi
    assert tree_digest(tiny_store.root) == before


def test_empty_file_refused(tiny_store, tmp_path, capsys):
    (tmp_path / "empty.csv").write_bytes(b"")
    _refused(tiny_store, tmp_path / "empty.csv", capsys, "empty")


def test_header_only_refused(tiny_store, tmp_path, capsys):
    _refused(tiny_store, write_csv(tmp_path / "h.csv", []), capsys, "no data rows")


def test_missing_required_columns_refused_listing_columns(tiny_store, tmp_path, capsys):
    path = write_csv(tmp_path / "m.csv", ["2024-10-01,1"], header="measured_at,download_mbps")
    _refused(tiny_store, path, capsys, "carrier")
    path2 = write_csv(tmp_path / "m2.csv", ["2024-10-01,1"], header="measured_at,download_mbps")
    with pytest.raises(UserError, match="Tệp có các cột: measured_at, download_mbps"):
        ingest(tiny_store, path2)


def test_binary_file_renamed_csv_refused(tiny_store, tmp_path, capsys):
    (tmp_path / "photo.csv").write_bytes(bytes(range(256)) * 40)
    _refused(tiny_store, tmp_path / "photo.csv", capsys, "not a text CSV")


def test_truncated_parquet_refused(tiny_store, tmp_path, capsys):
    frame = pd.DataFrame(
        {
            "measured_at": ["2024-10-01T10:00:00"] * 100,
            "carrier": ["Viettel"] * 100,
            "download_mbps": [1.0] * 100,
            "upload_mbps": [1.0] * 100,
        }
    )
    frame.to_parquet(tmp_path / "full.parquet")
    data = (tmp_path / "full.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2])
    _refused(tiny_store, tmp_path / "cut.parquet", capsys, "truncated or corrupt")


def test_a_refused_file_in_a_batch_leaves_the_store_unchanged(tiny_store, tmp_path, capsys):
    good = write_csv(tmp_path / "good.csv", [row()])
    (tmp_path / "empty.csv").write_bytes(b"")
    before = tree_digest(tiny_store.root)
    assert cli(["ingest", str(good), str(tmp_path / "empty.csv"), "--store", str(tiny_store.root)]) != 0
    assert tree_digest(tiny_store.root) == before
    assert tiny_store.months() == []


def test_ingest_without_boundaries_refused(tmp_path, capsys):
    from store.transaction import open_store

    store = open_store(tmp_path / "s", create=True)
    assert cli(["ingest", str(write_csv(tmp_path / "m.csv", [row()])), "--store", str(store.root)]) == 2
    assert "boundaries" in capsys.readouterr().err


def test_summary_counts_add_up(tiny_store, tmp_path, capsys):
    path = write_csv(tmp_path / "m.csv", [row(), row(dl=-1), row(lat="", lon=""), row()])
    assert cli(["ingest", str(path), "--store", str(tiny_store.root)]) == 0
    out = capsys.readouterr().out
    assert "đọc 4, nhận 2, loại 1, trùng 1, chưa xác định xã 1" in out


def test_referral_fallback_survives_excel_dropping_leading_zeros(tiny_store, tmp_path):
    pd.DataFrame({"Mã giới thiệu": [100100003], "Xã/Phường": ["Xã Đức Xuân"]}).to_excel(
        tmp_path / "r.xlsx", index=False
    )
    import_referral(tiny_store, tmp_path / "r.xlsx")
    [summary] = ingest(tiny_store, write_csv(tmp_path / "m.csv", [row(lat="", lon="", ref="0100100003")]))
    assert summary.assigned_by_referral == 1
    assert stored(tiny_store)["commune_code"].tolist() == ["00003"]


def test_progress_is_reported_from_the_calling_thread(tiny_store, tmp_path):
    import threading

    calls = []
    main = threading.get_ident()
    path = write_csv(tmp_path / "m.csv", [row(time=f"2024-10-01T10:{i // 60:02d}:{i % 60:02d}") for i in range(3000)])
    ingest_files(tiny_store, [path], lambda stage, fraction: calls.append((stage, fraction, threading.get_ident())))
    assert {c[2] for c in calls} == {main}
    assert [c[0] for c in calls if c[1] == 1.0 and c[0] != "files"][-4:] == ["read", "validate", "assign", "write"]


def test_a_measurement_in_two_files_of_one_call_is_stored_once(tiny_store, tmp_path):
    header = "measurement_id,measured_at,carrier,network_type,download_mbps,upload_mbps"
    a = write_csv(tmp_path / "a.csv", ["x1,2024-10-01T10:00:00,Viettel,4G,10,1"], header=header)
    b = write_csv(
        tmp_path / "b.csv",
        ["x1,2024-10-01T10:00:00,Viettel,4G,10,1", "x2,2024-10-02T10:00:00,Viettel,4G,20,2"],
        header=header,
    )
    first, second = ingest(tiny_store, a, b)
    assert (first.accepted, second.accepted, second.duplicate) == (1, 1, 1)
    assert sorted(stored(tiny_store)["measurement_id"]) == ["x1", "x2"]
