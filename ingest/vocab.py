"""The words measurement files use: header aliases, carrier spellings and MCC-MNC codes, network names."""

from __future__ import annotations

from core.text import header_key
from ingest.readers import HeaderSpec

# Header aliases, compared through header_key (case-, accent- and punctuation-insensitive).
_ALIASES: dict[str, list[str]] = {
    "measurement_id": ["measurement_id", "id", "test_id", "ma do", "ma phep do", "ma lan do"],
    "measured_at": [
        "measured_at",
        "timestamp",
        "time",
        "datetime",
        "date_time",
        "test_time",
        "thoi gian do",
        "thoi gian",
        "ngay do",
        "thoi diem do",
    ],
    "access_type": ["access_type", "access", "loai truy nhap", "loai ket noi", "hinh thuc truy nhap"],
    "network_type": ["network_type", "network", "technology", "tech", "loai mang", "cong nghe"],
    "carrier": [
        "carrier",
        "operator",
        "isp",
        "provider",
        "mcc_mnc",
        "mccmnc",
        "plmn",
        "nha mang",
        "nha cung cap",
        "doanh nghiep",
    ],
    "download_mbps": [
        "download_mbps",
        "download",
        "dl_mbps",
        "toc do tai xuong mbps",
        "toc do tai xuong",
        "tai xuong mbps",
        "tai xuong",
    ],
    "upload_mbps": [
        "upload_mbps",
        "upload",
        "ul_mbps",
        "toc do tai len mbps",
        "toc do tai len",
        "tai len mbps",
        "tai len",
    ],
    "download_kbps": ["download_kbps", "dl_kbps", "toc do tai xuong kbps", "tai xuong kbps"],
    "upload_kbps": ["upload_kbps", "ul_kbps", "toc do tai len kbps", "tai len kbps"],
    "latency_ms": ["latency_ms", "latency", "ping", "ping_ms", "do tre ms", "do tre", "ping ms"],
    "jitter_ms": ["jitter_ms", "jitter", "do dao dong ms", "do dao dong", "jitter ms", "do bien thien do tre"],
    "lat": ["lat", "latitude", "vi do"],
    "lon": ["lon", "lng", "long", "longitude", "kinh do"],
    "referral_code": ["referral_code", "referral", "ref_code", "ma gioi thieu"],
    "device_os": ["device_os", "os", "platform", "he dieu hanh"],
    # An identifier of the phone, never its model ("Thiết bị" in i-Speed exports is the model): hashed at ingest.
    "device_id": [
        "device_id",
        "deviceid",
        "device_uuid",
        "device_hash",
        "uuid",
        "client_id",
        "android_id",
        "installation_id",
        "imei",
        "ma thiet bi",
        "id thiet bi",
        "ma dinh danh thiet bi",
    ],
    "is_auto": ["is_auto", "auto", "automatic", "tu dong", "do tu dong"],
}
HEADER_ALIASES: dict[str, str] = {header_key(a): canon for canon, names in _ALIASES.items() for a in names}

MEASUREMENT_HEADER = HeaderSpec(
    HEADER_ALIASES,
    required=(("measured_at",), ("carrier",), ("download_mbps", "download_kbps"), ("upload_mbps", "upload_kbps")),
)

MOBILE_CARRIERS = ["Viettel", "VinaPhone", "MobiFone", "Vietnamobile", "Gmobile", "Itelecom", "Reddi", "Local"]
FIXED_ISPS = ["VNPT", "Viettel", "FPT", "CMC", "SCTV", "NetNam", "Hanoi Telecom", "Saigon Postel"]

MCC_MNC = {
    "45201": "MobiFone",
    "45202": "VinaPhone",
    "45204": "Viettel",
    "45205": "Vietnamobile",
    "45207": "Gmobile",
    "45206": "Viettel",  # former EVNTelecom
    "45208": "Viettel",  # former EVNTelecom
    "45209": "Itelecom",
}

_CARRIER_SPELLINGS: dict[str, list[str]] = {
    "Viettel": ["viettel", "viettel mobile", "viettel telecom", "vtl", "evn telecom", "evntelecom", "e mobile"],
    "VinaPhone": ["vinaphone", "vina phone", "vnpt vinaphone", "vinafone", "vnp", "vina"],
    "MobiFone": ["mobifone", "mobi fone", "mobiphone", "mobi", "vms"],
    "Vietnamobile": ["vietnamobile", "vietnam mobile", "vnmobile", "vnm", "ht mobile"],
    "Gmobile": ["gmobile", "g mobile", "beeline", "wintel"],
    "Itelecom": ["itelecom", "i telecom", "itel"],
    "Reddi": ["reddi"],
    "Local": ["local"],
    "VNPT": ["vnpt", "vnpt net", "vnpt fiber"],
    "FPT": ["fpt", "fpt telecom"],
    "CMC": ["cmc", "cmc telecom", "cmc ti"],
    "SCTV": ["sctv"],
    "NetNam": ["netnam"],
    "Hanoi Telecom": ["hanoi telecom", "ha noi telecom"],
    "Saigon Postel": ["saigon postel", "spt"],
}
CARRIER_NAMES: dict[str, str] = {header_key(s): canon for canon, names in _CARRIER_SPELLINGS.items() for s in names}

_NETWORK_SPELLINGS: dict[str, list[str]] = {
    "2G": ["2g", "gsm", "edge", "gprs"],
    "3G": ["3g", "umts", "hspa", "hspa+", "wcdma", "hsdpa"],
    "4G": ["4g", "lte", "4g lte", "lte a", "4g+", "lte advanced"],
    "5G": ["5g", "nr", "5g nr", "5g nsa", "5g sa", "nr nsa", "nr sa"],
    "WIFI": ["wifi", "wi fi", "wlan"],
    "ETHERNET": ["ethernet", "lan", "cable", "fiber", "ftth", "co dinh", "cap quang"],
}
NETWORK_NAMES: dict[str, str] = {header_key(s): canon for canon, names in _NETWORK_SPELLINGS.items() for s in names}
