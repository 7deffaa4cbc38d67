"""plotly.js in the reader's language: its few built-in words and its number and date formats."""

from __future__ import annotations

# plotly.js ships English only; a locale given in the chart's config replaces its words and formats.
VI_PLOTLY = {
    "dictionary": {
        "Zoom": "Phóng to vùng chọn",
        "Pan": "Kéo",
        "Zoom in": "Phóng to",
        "Zoom out": "Thu nhỏ",
        "Autoscale": "Tự co giãn",
        "Reset axes": "Đặt lại trục",
        "Reset": "Đặt lại",
        "Reset view": "Đặt lại khung nhìn",
        "Box Select": "Chọn vùng",
        "Lasso Select": "Chọn tự do",
        "Download plot as a PNG": "Tải ảnh PNG",
        "Download plot": "Tải ảnh",
        "Double-click to zoom back out": "Nhấp đúp để trở về",
        "Show closest data on hover": "Hiện số liệu gần nhất",
        "Compare data on hover": "So sánh số liệu",
        "Toggle Spike Lines": "Bật/tắt đường gióng",
        "Click to enter Colorscale title": "Nhấp để nhập tiêu đề thang màu",
        "Click to enter Plot title": "Nhấp để nhập tiêu đề",
    },
    "format": {
        "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
        "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
        "months": [f"tháng {m}" for m in range(1, 13)],
        "shortMonths": [f"Th{m}" for m in range(1, 13)],
        "date": "%d/%m/%Y",
        "decimal": ",",
        "thousands": ".",
    },
}


def plotly_config(lang: str) -> dict:
    """Config for every chart: the reader's language, and no toolbar (its Streamlit 'Fullscreen' button cannot be
    translated, and the camera button would make a second, untitled PNG beside the app's own export)."""
    return {"displaylogo": False, "displayModeBar": False, "locale": lang, "locales": {"vi": VI_PLOTLY}}
