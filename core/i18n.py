"""User-facing text in Vietnamese (default) and English. Plain data; no Streamlit."""

from __future__ import annotations

LANGS = ("vi", "en")

TEXT: dict[str, tuple[str, str]] = {
    # navigation
    "app_title": ("i-Speed Atlas", "i-Speed Atlas"),
    "app_subtitle": ("Chất lượng băng rộng di động theo xã/phường", "Mobile broadband quality by commune"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_speed_map": ("Bản đồ tốc độ", "Speed map"),
    "page_coverage_map": ("Bản đồ độ phủ mẫu", "Sample coverage map"),
    "page_carriers": ("Nhà mạng", "Carriers"),
    "page_trends": ("Xu hướng", "Trends"),
    "page_commune": ("Xã/phường", "Commune"),
    "page_data": ("Dữ liệu", "Data"),
    # filters
    "filters": ("Bộ lọc", "Filters"),
    "language": ("Ngôn ngữ", "Language"),
    "month": ("Tháng", "Month"),
    "province": ("Tỉnh/thành phố", "Province"),
    "all_provinces": ("Tất cả tỉnh/thành phố", "All provinces"),
    "districts": ("Huyện/quận", "Districts"),
    "all_districts": ("Tất cả huyện/quận", "All districts"),
    "carriers": ("Nhà mạng", "Carriers"),
    "all_carriers": ("Tất cả nhà mạng", "All carriers"),
    "network": ("Loại mạng (tính tốc độ)", "Network type (speed)"),
    "metric": ("Chỉ số", "Metric"),
    "metric_mean": ("Tốc độ tải xuống trung bình", "Mean download speed"),
    "metric_median": ("Tốc độ tải xuống trung vị", "Median download speed"),
    "metric_upload": ("Tốc độ tải lên trung bình", "Mean upload speed"),
    "metric_latency": ("Độ trễ trung bình", "Mean latency"),
    "settings": ("Ngưỡng đánh giá", "Thresholds"),
    "speed_target": ("Mục tiêu tốc độ 4G (Mbps)", "4G speed target (Mbps)"),
    "quota": ("Chỉ tiêu mẫu/xã/tháng", "Samples per commune per month"),
    "min_samples": ("Số mẫu tối thiểu để đánh giá", "Minimum samples to judge"),
    "share_link": (
        "Đường dẫn của trang này giữ nguyên bộ lọc: sao chép từ thanh địa chỉ để chia sẻ.",
        "This page's address keeps the filters: copy it from the address bar to share the view.",
    ),
    "demo_banner": (
        "Đang xem dữ liệu minh họa (tỉnh giả định), không phải số liệu thật.",
        "You are looking at demo data (a fictional province), not real figures.",
    ),
    "building_demo": (
        "Đang tạo dữ liệu minh họa lần đầu (khoảng 15 giây)...",
        "Building the demo data for the first time (about 15 seconds)...",
    ),
    "no_months": (
        "Kho dữ liệu chưa có số liệu đo. Nạp dữ liệu ở trang Dữ liệu.",
        "The store holds no measurements yet. Load data on the Data page.",
    ),
    "no_boundaries": (
        "Kho dữ liệu chưa có ranh giới xã. Nạp ranh giới ở trang Dữ liệu hoặc bằng lệnh "
        "python -m analytics boundaries.",
        "The store has no commune boundaries. Load them on the Data page or with python -m analytics boundaries.",
    ),
    # KPIs
    "kpi_speed": ("Tốc độ tải xuống TB ({net})", "Mean download ({net})"),
    "kpi_speed_help": (
        "Trung bình của tất cả mẫu {net} trong phạm vi đã chọn (không lấy trung bình của các xã). "
        "Khoảng tin cậy 95%: {lo} – {hi} Mbps. Mục tiêu: {target} Mbps.",
        "Mean over all {net} measurements in the selection (not a mean of commune means). "
        "95% interval: {lo} – {hi} Mbps. Target: {target} Mbps.",
    ),
    "kpi_samples": ("Số mẫu đo di động", "Mobile measurements"),
    "kpi_samples_help": (
        "Chỉ tiêu: {quota} mẫu/xã/tháng, tức {total} mẫu cho {n} xã.",
        "Quota: {quota} per commune and month, i.e. {total} for {n} communes.",
    ),
    "kpi_quota_communes": ("Xã đủ {quota} mẫu", "Communes with {quota} samples"),
    "kpi_target_communes": ("Xã đạt {target} Mbps", "Communes at {target} Mbps"),
    "kpi_target_help": (
        "Trong số {n} xã có từ {min} mẫu trở lên.",
        "Among the {n} communes with {min} or more samples.",
    ),
    "kpi_insufficient": ("Xã chưa đủ dữ liệu", "Communes with insufficient data"),
    "kpi_insufficient_help": (
        "Dưới {min} mẫu {net}: không đánh giá đạt/không đạt.",
        "Fewer than {min} {net} samples: not judged.",
    ),
    "kpi_unassigned": ("Mẫu chưa xác định xã", "Unassigned measurements"),
    "kpi_unassigned_help": (
        "Không có tọa độ trong xã nào và không có mã giới thiệu hợp lệ; không đưa lên bản đồ.",
        "No point inside a commune and no valid referral code; not mapped.",
    ),
    "vs_prev": ("so với tháng trước", "vs previous month"),
    "of_communes": ("trên {n} xã", "of {n} communes"),
    "headline_below": (
        "Tốc độ TB {value} Mbps, thấp hơn mục tiêu {target} Mbps.",
        "Mean speed {value} Mbps, below the {target} Mbps target.",
    ),
    "headline_above": (
        "Tốc độ TB {value} Mbps, đạt mục tiêu {target} Mbps.",
        "Mean speed {value} Mbps meets the {target} Mbps target.",
    ),
    "headline_none": ("Chưa đủ mẫu {net} để đánh giá tốc độ.", "Not enough {net} samples to judge the speed."),
    "trend_title": ("Tốc độ tải xuống trung bình theo tháng", "Mean download speed by month"),
    "carriers_title": ("Nhà mạng", "Carriers"),
    "worst_speed": ("Xã có tốc độ thấp nhất so với mục tiêu", "Communes furthest below the speed target"),
    "worst_quota": ("Xã thiếu mẫu nhiều nhất", "Communes furthest below the sample quota"),
    "target_line": ("Mục tiêu {target} Mbps", "Target {target} Mbps"),
    "insufficient": ("Chưa đủ dữ liệu", "Insufficient data"),
    "insufficient_legend": ("Chưa đủ dữ liệu (dưới {min} mẫu)", "Insufficient data (under {min} samples)"),
    # columns
    "col_commune": ("Xã/phường", "Commune"),
    "col_district": ("Huyện/quận", "District"),
    "col_province": ("Tỉnh", "Province"),
    "col_samples": ("Số mẫu", "Samples"),
    "col_speed_samples": ("Mẫu tính tốc độ", "Speed samples"),
    "col_mean": ("TB tải xuống (Mbps)", "Mean download (Mbps)"),
    "col_median": ("Trung vị (Mbps)", "Median (Mbps)"),
    "col_ci": ("KTC 95% (Mbps)", "95% interval (Mbps)"),
    "col_gap_target": ("Thiếu so với mục tiêu (Mbps)", "Below target by (Mbps)"),
    "col_gap_quota": ("Còn thiếu (mẫu)", "Samples missing"),
    "col_quota_pct": ("Đạt chỉ tiêu (%)", "Quota reached (%)"),
    "col_referral": ("Mã giới thiệu", "Referral code"),
    "col_month": ("Tháng", "Month"),
    "col_file": ("Tệp", "File"),
    "col_batch": ("Lần nạp", "Batch"),
    "col_ingested_at": ("Thời điểm nạp (UTC)", "Loaded at (UTC)"),
    "col_accepted": ("Nhận", "Accepted"),
    "col_carrier": ("Nhà mạng", "Carrier"),
    "col_upload": ("TB tải lên (Mbps)", "Mean upload (Mbps)"),
    "col_latency": ("Độ trễ TB (ms)", "Mean latency (ms)"),
    "col_change": ("Thay đổi (Mbps)", "Change (Mbps)"),
    # maps
    "map_speed_title": ("{metric} {net}, {month}", "{metric} {net}, {month}"),
    "map_hint": (
        "Rê chuột lên xã để xem số liệu; nhấp vào xã (hoặc tìm ở ô bên dưới) để xem chi tiết. "
        "Nền trắng, không cần Internet.",
        "Hover a commune for its figures; click it (or search below) for details. "
        "White background: no Internet needed.",
    ),
    "map_coarse": (
        "Bản đồ nhiều xã được vẽ giản lược; chọn huyện để xem ranh giới chi tiết.",
        "Maps of many communes are drawn simplified; choose a district for detailed boundaries.",
    ),
    "find_commune": ("Tìm xã/phường để xem chi tiết", "Find a commune for details"),
    "open_commune": ("Xem chi tiết", "Open details"),
    "hover_mean": ("TB", "Mean"),
    "hover_median": ("Trung vị", "Median"),
    "hover_samples": ("Số mẫu", "Samples"),
    "hover_ci": ("KTC 95%", "95% CI"),
    "hover_quota": ("Đạt chỉ tiêu", "Of quota"),
    "cov_under25": ("Dưới 25% chỉ tiêu", "Under 25% of quota"),
    "cov_25_50": ("25% – 50%", "25% – 50%"),
    "cov_50_100": ("50% – dưới 100%", "50% – under 100%"),
    "cov_met": ("Đủ {quota} mẫu", "{quota} samples met"),
    "cov_title": ("Số mẫu so với chỉ tiêu {quota}/tháng, {month}", "Samples against the {quota}/month quota, {month}"),
    "under_quota_table": ("Xã chưa đủ chỉ tiêu mẫu", "Communes under the sample quota"),
    "campaign": ("Chiến dịch theo mã giới thiệu", "Campaign by referral code"),
    "campaign_help": (
        "Số mẫu gắn mã giới thiệu của từng xã (mọi loại mạng di động, theo bộ lọc nhà mạng).",
        "Measurements carrying each commune's referral code (every mobile network, carrier filter applied).",
    ),
    "no_referral": ("Chưa nạp danh sách mã giới thiệu.", "No referral-code list loaded."),
    # carriers
    "carrier_compare": ("So sánh nhà mạng ({net}, {month})", "Carriers compared ({net}, {month})"),
    "not_significant": (
        "Khoảng tin cậy của {a} và {b} chồng nhau: chênh lệch chưa có ý nghĩa thống kê.",
        "The intervals of {a} and {b} overlap: the difference is not significant.",
    ),
    "significant": (
        "{a} nhanh hơn {b} (khoảng tin cậy không chồng nhau).",
        "{a} is faster than {b} (intervals do not overlap).",
    ),
    "carrier_by_district": ("Theo huyện/quận", "By district"),
    "distribution": ("Phân bố tốc độ tải xuống (thang log)", "Download speed distribution (log scale)"),
    "share_samples": ("Tỷ trọng mẫu đo", "Share of measurements"),
    "carrier_trend": ("Xu hướng theo nhà mạng", "Trend by carrier"),
    # trends
    "trend_level": ("Cấp", "Level"),
    "level_province": ("Toàn tỉnh", "Whole area"),
    "level_district": ("Huyện/quận", "District"),
    "level_commune": ("Xã/phường", "Commune"),
    "heatmap_title": ("Tốc độ TB theo huyện và tháng (Mbps)", "Mean speed by district and month (Mbps)"),
    "mom_title": ("Thay đổi so với tháng trước", "Change from previous month"),
    # commune page
    "choose_commune": ("Chọn xã/phường", "Choose a commune"),
    "commune_trend": ("Tốc độ theo tháng", "Speed by month"),
    "hour_profile": ("Tốc độ theo giờ trong ngày", "Speed by hour of day"),
    "quota_history": ("Số mẫu theo tháng", "Samples by month"),
    "where_on_map": ("Vị trí", "Location"),
    "hour": ("Giờ", "Hour"),
    # data page
    "months_loaded": ("Các tháng đã nạp", "Months loaded"),
    "rows": ("Số dòng", "Rows"),
    "rejected": ("Bị loại", "Rejected"),
    "duplicates": ("Trùng lặp", "Duplicates"),
    "unassigned": ("Chưa xác định xã", "Unassigned"),
    "upload_title": ("Nạp tệp số liệu đo mới", "Load a new measurement file"),
    "upload_help": (
        "CSV, XLSX hoặc Parquet; tiêu đề tiếng Việt hoặc tiếng Anh. Dòng lỗi được ghi lại kèm lý do; "
        "tệp đã nạp sẽ không được thêm lần nữa.",
        "CSV, XLSX or Parquet; Vietnamese or English headers. Bad rows are recorded with a reason; "
        "a file already loaded is not added twice.",
    ),
    "ingest_button": ("Nạp vào kho", "Load into the store"),
    "ingest_done": (
        "Đã nạp {name}: đọc {read}, nhận {accepted}, loại {rejected}, trùng {duplicate}, chưa xác định xã {unassigned}.",
        "Loaded {name}: read {read}, accepted {accepted}, rejected {rejected}, duplicate {duplicate}, unassigned {unassigned}.",
    ),
    "ingest_refused": ("Không nạp được tệp: {reason}", "The file was not loaded: {reason}"),
    "rejects_download": ("Tải danh sách dòng bị loại", "Download the rejected rows"),
    "boundaries_status": ("Ranh giới", "Boundaries"),
    "referral_status": ("Mã giới thiệu", "Referral codes"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "download_deck": ("Tải bộ slide báo cáo (PPTX)", "Download the briefing deck (PPTX)"),
    "download_xlsx": ("Tải báo cáo tháng (XLSX)", "Download the monthly report (XLSX)"),
    "download_report_csv": ("Tải bảng xã/phường (CSV)", "Download the commune table (CSV)"),
    "export_unavailable": (
        "Cần Chromium của Debian để xuất ảnh (make run cài đặt).",
        "Image export needs Debian's Chromium (make run installs it).",
    ),
    "rows_shown": (
        "Hiển thị {shown} trên {total} dòng; tệp CSV có đủ tất cả.",
        "Showing {shown} of {total} rows; the CSV has them all.",
    ),
    "stage_read": ("Đang đọc tệp", "Reading the file"),
    "stage_validate": ("Đang kiểm tra", "Validating"),
    "stage_assign": ("Đang xác định xã", "Assigning communes"),
    "stage_write": ("Đang ghi", "Writing"),
    "rules_title": ("Quy tắc tính", "Counting rules"),
    "rules_text": (
        "Tốc độ so với mục tiêu chỉ tính các mẫu {net}; chỉ tiêu mẫu đếm mọi mẫu di động của xã trong tháng. "
        "Trung bình của huyện/tỉnh tính trên từng mẫu. Xã dưới {min} mẫu là chưa đủ dữ liệu. Tháng theo giờ Việt Nam.",
        "Speed against the target uses {net} measurements; the quota counts every mobile measurement of the commune "
        "in the month. District and province means are over measurements. Communes with fewer than {min} samples "
        "have insufficient data. Months are in Vietnam time.",
    ),
}


def t(key: str, lang: str = "vi", **values: object) -> str:
    """The text for key in lang, with {placeholders} filled."""
    vi, en = TEXT[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text
