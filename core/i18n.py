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
    # ---- deck and workbook --------------------------------------------------------------------------
    "deck_title": ("Chất lượng băng rộng di động – {month}", "Mobile broadband quality – {month}"),
    "deck_headline": ("Các chỉ số chính – {month}", "Headline figures – {month}"),
    "deck_figure": ("Chỉ số", "Figure"),
    "deck_value": ("Giá trị", "Value"),
    "ci_words": ("khoảng tin cậy 95%: {lo} – {hi}", "95% interval: {lo} – {hi}"),
    "deck_grey_note": (
        "tô xám, không tính đạt hay không đạt.",
        "grey, counted neither as meeting nor as missing the target.",
    ),
    "deck_speed_map": ("Bản đồ tốc độ tải xuống {net}", "{net} download speed map"),
    "deck_rules_title": ("Quy tắc tính và nguồn số liệu", "Counting rules and data source"),
    "deck_rules_targets": (
        "Mục tiêu tốc độ: {target} Mbps (tốc độ tải xuống trung bình). Chỉ tiêu: {quota} mẫu đo/xã/tháng.",
        "Speed target: {target} Mbps (mean download). Quota: {quota} measurements per commune and month.",
    ),
    "deck_rules_where": (
        "Mẫu đo thuộc xã có ranh giới chứa tọa độ; không có tọa độ thì theo mã giới thiệu; còn lại là chưa xác định xã.",
        "A measurement belongs to the commune containing its point; without one, to its referral code's commune; otherwise it is unassigned.",
    ),
    "deck_rules_ci": (
        "Khoảng tin cậy 95%: trung bình ± t(0,975; n−1)·s/√n.",
        "95% interval: mean ± t(0.975, n−1)·s/√n.",
    ),
    "deck_no_commune": ("Không có xã nào.", "No commune."),
    "col_no": ("STT", "No."),
    "source_line": ("Nguồn: dữ liệu đo i-Speed (VNNIC), {month}", "Source: i-Speed measurements (VNNIC), {month}"),
    "sheet_communes": ("Xã phường", "Communes"),
    "sheet_districts": ("Tổng hợp huyện", "Districts"),
    "sheet_provinces": ("Tổng hợp tỉnh", "Provinces"),
    "sheet_monthly_return": ("Báo cáo tháng", "Monthly return"),
    "sheet_legend": ("Chú giải", "Legend"),
    "yes_met": ("Đạt", "Met"),
    "no_not_met": ("Chưa đạt", "Not met"),
    "total_communes": ("Tổng cộng các xã", "Total of the communes"),
    "communes_met_of": ("{met}/{n} xã", "{met}/{n} communes"),
    "legend_title": ("Chú giải", "Legend"),
    "legend_below_target": (
        "Nền đỏ nhạt: xã/phường có tốc độ tải xuống trung bình dưới mục tiêu {target} Mbps (chỉ xét xã có ít nhất {min} mẫu).",
        "Light red: communes whose mean download is below the {target} Mbps target (only communes with at least {min} measurements are judged).",
    ),
    "legend_below_quota": (
        "Nền vàng: xã/phường chưa đủ {quota} mẫu đo di động trong tháng.",
        "Yellow: communes with fewer than {quota} mobile measurements in the month.",
    ),
    "legend_insufficient": (
        "Ô tốc độ để trống: dưới {min} mẫu, chưa đủ dữ liệu để đánh giá.",
        "Empty speed cells: fewer than {min} measurements, not enough data to judge.",
    ),
    "legend_means": (
        "Tốc độ trung bình của huyện, tỉnh tính trên từng mẫu đo (không lấy trung bình của các trung bình xã).",
        "District and province means are over every measurement (never a mean of commune means).",
    ),
    "legend_source": ("Nguồn: dữ liệu đo i-Speed (VNNIC).", "Source: i-Speed measurements (VNNIC)."),
    # ---- report columns (workbook headings) ----------------------------------------------------------
    "report_month": ("Tháng", "Month"),
    "report_province_code": ("Mã tỉnh", "Province code"),
    "report_province_name": ("Tỉnh/Thành phố", "Province"),
    "report_district_code": ("Mã huyện", "District code"),
    "report_district_name": ("Huyện/Quận", "District"),
    "report_commune_code": ("Mã xã", "Commune code"),
    "report_commune_name": ("Xã/Phường", "Commune"),
    "report_samples": ("Số mẫu (di động)", "Mobile measurements"),
    "report_quota": ("Chỉ tiêu mẫu/tháng", "Monthly quota"),
    "report_quota_pct": ("Đạt chỉ tiêu mẫu (%)", "Share of quota (%)"),
    "report_meets_quota": ("Đủ chỉ tiêu mẫu", "Quota met"),
    "report_speed_samples": ("Số mẫu tính tốc độ", "Measurements for speed"),
    "report_mean_download_mbps": ("Tốc độ tải xuống TB (Mbps)", "Mean download (Mbps)"),
    "report_median_download_mbps": ("Trung vị tải xuống (Mbps)", "Median download (Mbps)"),
    "report_p10_download_mbps": ("Tốc độ tải xuống của 10% mẫu chậm nhất (Mbps)", "10th percentile download (Mbps)"),
    "report_p90_download_mbps": (
        "Tốc độ tải xuống vượt bởi 10% mẫu nhanh nhất (Mbps)",
        "90th percentile download (Mbps)",
    ),
    "report_ci95_low_mbps": ("Khoảng tin cậy 95%, cận dưới (Mbps)", "95% interval, low (Mbps)"),
    "report_ci95_high_mbps": ("Khoảng tin cậy 95%, cận trên (Mbps)", "95% interval, high (Mbps)"),
    "report_mean_upload_mbps": ("Tốc độ tải lên TB (Mbps)", "Mean upload (Mbps)"),
    "report_mean_latency_ms": ("Độ trễ TB (ms)", "Mean latency (ms)"),
    "report_speed_target_mbps": ("Mục tiêu tốc độ (Mbps)", "Speed target (Mbps)"),
    "report_meets_speed_target": ("Đạt mục tiêu tốc độ", "Speed target met"),
    "report_data_status": ("Tình trạng số liệu", "Data"),
    "report_devices": ("Số thiết bị", "Devices"),
    "report_top_device_share": ("Tỷ lệ mẫu từ máy đo nhiều nhất", "Share from the top device"),
    "report_cells_with_samples": ("Số ô có mẫu", "Cells measured"),
    "report_cells_total": ("Tổng số ô của xã", "Cells of the commune"),
    "report_office_hours_share": ("Tỷ lệ mẫu trong giờ hành chính", "Share in office hours"),
    "report_samples_per_device": ("Mẫu/thiết bị", "Samples per device"),
    "report_campaign_verdict": ("Đánh giá chiến dịch đo", "Campaign verdict"),
    "report_top_device_pct": ("Từ máy đo nhiều nhất (%)", "From the top device (%)"),
    "report_cell_pct": ("Diện tích có mẫu (%)", "Area measured (%)"),
    "report_office_pct": ("Trong giờ hành chính (%)", "In office hours (%)"),
    "report_campaign_words": ("Đánh giá chiến dịch đo", "Campaign verdict"),
    "report_campaign_action": ("Việc cần làm", "What to do"),
    "data_status_no_data": ("Không có số liệu", "No data"),
    "data_status_insufficient": ("Chưa đủ số liệu", "Insufficient data"),
    "data_status_sufficient": ("Đủ số liệu", "Sufficient data"),
    "sheet_account": ("Đối chiếu số mẫu", "Samples accounted"),
    "report_communes": ("Số xã/phường", "Communes"),
    "report_communes_meeting_quota": ("Số xã đủ mẫu", "Communes meeting the quota"),
    "report_communes_sufficient": ("Số xã đủ dữ liệu", "Communes with sufficient data"),
    "report_communes_meeting_target": ("Số xã đạt tốc độ", "Communes meeting the target"),
    "report_no": ("STT", "No."),
    "report_referral_code": ("Mã giới thiệu", "Referral code"),
    "report_samples_with_code": ("Số mẫu gắn mã giới thiệu", "Measurements carrying the code"),
    "month_name_1": ("Tháng 1", "January"),
    "month_name_2": ("Tháng 2", "February"),
    "month_name_3": ("Tháng 3", "March"),
    "month_name_4": ("Tháng 4", "April"),
    "month_name_5": ("Tháng 5", "May"),
    "month_name_6": ("Tháng 6", "June"),
    "month_name_7": ("Tháng 7", "July"),
    "month_name_8": ("Tháng 8", "August"),
    "month_name_9": ("Tháng 9", "September"),
    "month_name_10": ("Tháng 10", "October"),
    "month_name_11": ("Tháng 11", "November"),
    "month_name_12": ("Tháng 12", "December"),
    "month_long": ("tháng {mm}/{yyyy}", "{name} {yyyy}"),
    "month_short": ("{mm}/{yyyy}", "{abbr} {yyyy}"),
    "lang_vi": ("Tiếng Việt", "Tiếng Việt"),
    "lang_en": ("English", "English"),
    "unnamed_column": ("cột {n}", "column {n}"),
    "dropped_no_code": ("không có mã xã: {where}", "no commune code: {where}"),
    "dropped_unnamed": ("vùng không tên", "unnamed area"),
    "dropped_no_polygon": ("không có hình đa giác: xã {code} {name}", "no polygon: commune {code} {name}"),
    "all_mobile_networks": ("mọi mạng di động", "every mobile network"),
    "network_words": ("mạng {networks}", "network {networks}"),
    "whole_country": ("Toàn quốc", "Whole country"),
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
        "Đang tạo dữ liệu minh họa lần đầu (chỉ một lần cho máy chủ này)…",
        "Building the demo data for the first time (once for this server)…",
    ),
    "building_demo_progress": (
        "Đang tạo dữ liệu minh họa lần đầu: {percent}%…",
        "Building the demo data for the first time: {percent}%…",
    ),
    "building_demo_eta": (
        "Đang tạo dữ liệu minh họa lần đầu: {percent}%, còn khoảng {seconds} giây…",
        "Building the demo data for the first time: {percent}%, about {seconds} s left…",
    ),
    "demo_failed": (
        "Không tạo được dữ liệu minh họa: {reason}. Tải lại trang để thử lại.",
        "The demo data could not be built: {reason}. Reload the page to try again.",
    ),
    "no_months": (
        "Kho dữ liệu chưa có số liệu đo. Nạp dữ liệu ở trang Dữ liệu.",
        "The store holds no measurements yet. Load data on the Data page.",
    ),
    "store_boundaries_lost": (
        "Kho có {months} tháng số liệu đo nhưng thiếu tệp ranh giới xã, nên chưa xem được. Cán bộ dữ liệu nạp lại "
        "ranh giới ở trang Dữ liệu hoặc bằng lệnh python -m analytics boundaries.",
        "The store holds {months} month(s) of measurements but its commune boundaries are missing, so nothing can be "
        "shown. The data officer loads them again on the Data page or with python -m analytics boundaries.",
    ),
    "store_loading": (
        "Đang nạp dữ liệu vào kho ({action}, bởi {actor}); số liệu hiện ra khi việc nạp xong.",
        "Data are being loaded ({action}, by {actor}); the figures appear when the load has finished.",
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
        "Không có tọa độ trong xã nào và mã giới thiệu không xác định được xã; không đưa lên bản đồ. Lý do và các mã liên quan ở bảng đối chiếu bên dưới.",
        "No point inside a commune, and no referral code that places it; not mapped. Reasons and the codes involved are in the reconciliation below.",
    ),
    "kpi_no_data": ("Xã không có số liệu", "Communes without data"),
    "kpi_no_data_help": ("Không có mẫu {net} nào trong tháng.", "No {net} measurement in the month."),
    "plain_text": ("{text}", "{text}"),
    "col_mobile_rows": ("Trong đó di động", "Of which mobile"),
    "col_match_method": ("Cách gắn xã", "How it was matched"),
    "col_note": ("Cần xem", "To look at"),
    "unassigned_title": ("Số đo chưa xác định xã", "Measurements in no commune"),
    "unassigned_caption": (
        "Theo lý do, với các mã giới thiệu liên quan: bổ sung hoặc sửa danh sách mã giới thiệu rồi nạp lại, các số đo sẽ được xếp lại.",
        "By reason, with the referral codes involved: add or correct them in the referral list and load it again; the measurements are placed again.",
    ),
    "referral_former_kept": (
        "Giữ {n} mã của danh sách cũ (không có trong danh sách mới) để xếp các số đo cũ.",
        "{n} codes of the earlier list (not in the new one) kept to place older measurements.",
    ),
    "boundaries_in_force_from": ("Ranh giới mới áp dụng từ {month}.", "The new boundaries are in force from {month}."),
    "effective_from_label": (
        "Áp dụng từ tháng (NNNN-TT, để trống: tự xác định)",
        "In force from (YYYY-MM; empty: worked out)",
    ),
    "effective_from_help": (
        "Tháng đầu tiên ranh giới mới có hiệu lực. Để trống: 2025-07 nếu ranh giới mới không còn cấp huyện (sắp xếp 2025), nếu không thì áp dụng cho mọi tháng (bản sửa).",
        "First month the new boundaries are in force. Empty: 2025-07 if the new boundaries have no districts (the 2025 reform), otherwise every month (a correction).",
    ),
    "since_always": ("mọi tháng", "every month"),
    "boundary_version_current": (
        "Đang dùng: {communes} xã/phường, {districts}, áp dụng từ {since} (nạp {loaded}).",
        "In force: {communes} communes, {districts}, from {since} (loaded {loaded}).",
    ),
    "boundary_version_earlier": (
        "Trước đó: {communes} xã/phường, {districts}, áp dụng từ {since} (nạp {loaded}); giữ lại để truy mã và tên cũ.",
        "Earlier: {communes} communes, {districts}, from {since} (loaded {loaded}); kept to trace old codes and names.",
    ),
    "audit_rebuild": (
        "xếp lại {rows} số đo, {changed} đổi xã",
        "placed {rows} measurements again, {changed} changed commune",
    ),
    "account_title": ("Đối chiếu số mẫu", "Every sample accounted for"),
    "account_line": (
        "Tổng {total} mẫu đo di động = {in_communes} trong các xã/phường + {unassigned} chưa xác định xã.",
        "{total} mobile measurements = {in_communes} in communes + {unassigned} in no commune.",
    ),
    "account_line_area": (
        "{total} mẫu đo di động trong khu vực đã chọn; ngoài ra {unassigned} mẫu của tháng chưa xác định được xã (không thuộc khu vực nào).",
        "{total} mobile measurements in the chosen area; {unassigned} more of the month are in no commune (so in no area).",
    ),
    "account_in_communes": ("Trong các xã/phường", "In communes"),
    "account_unassigned": ("Chưa xác định xã – {reason}", "In no commune – {reason}"),
    "account_unassigned_all": (
        "Mẫu chưa xác định xã (lý do: trang «{sheet}»)",
        "Measurements in no commune (reasons: sheet '{sheet}')",
    ),
    "account_total": ("Tổng số mẫu đo di động", "All mobile measurements"),
    "account_total_area": ("Tổng trong khu vực đã chọn", "Total in the chosen area"),
    "account_col_what": ("Nhóm", "Group"),
    "account_col_samples": ("Số mẫu", "Measurements"),
    "account_col_codes": ("Mã giới thiệu liên quan (số mẫu)", "Referral codes involved (measurements)"),
    "mom_not_comparable": (
        "ranh giới thay đổi: không so sánh với tháng trước",
        "boundaries changed: not compared with last month",
    ),
    "no_data_legend": ("Không có số liệu", "No data"),
    "no_speed_data": ("Không có mẫu {net}", "No {net} measurement"),
    "upload_button": ("Chọn tệp", "Choose file"),
    "upload_limit": ("Kéo thả tệp vào đây · tối đa {mb} MB mỗi tệp", "Drag and drop a file here · up to {mb} MB each"),
    "choose": ("Chọn…", "Choose…"),
    "prev_month_no_data": ("tháng trước không có số liệu", "no data the month before"),
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
    "col_mean_previous": ("Tốc độ TB tháng trước (Mbps)", "Mean, previous month (Mbps)"),
    "col_gap_target": ("Thiếu so với mục tiêu (Mbps)", "Below target by (Mbps)"),
    "col_gap_quota": ("Còn thiếu (mẫu)", "Samples missing"),
    "col_quota_pct": ("Đạt chỉ tiêu (%)", "Quota reached (%)"),
    "col_referral": ("Mã giới thiệu", "Referral code"),
    "col_month": ("Tháng", "Month"),
    "col_file": ("Tệp", "File"),
    "col_batch": ("Lần nạp", "Batch"),
    "col_ingested_at": ("Thời điểm nạp", "Loaded at"),
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
    "trend_earlier_boundaries": (
        "{name} – ranh giới cũ (số liệu xếp lại theo tọa độ)",
        "{name} – earlier boundaries (data re-placed by coordinates)",
    ),
    "trend_no_data": ("không có số liệu", "no data"),
    "trend_mark_boundaries": ("Ranh giới mới từ {month}", "New boundaries from {month}"),
    "trend_mark_no_districts": ("không còn cấp huyện", "no more districts"),
    "trend_mark_area": ("khu vực thay đổi: không so sánh trước/sau", "area changed: before and after not comparable"),
    "hover_ci": ("Khoảng tin cậy 95%", "95% interval"),
    "col_ci_low": ("Cận dưới khoảng tin cậy 95% (Mbps)", "95% interval, low (Mbps)"),
    "col_ci_high": ("Cận trên khoảng tin cậy 95% (Mbps)", "95% interval, high (Mbps)"),
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
    "stage_derive": ("Đang tính dữ liệu tổng hợp", "Computing the summaries"),
    "stage_rebuild": ("Đang tính lại", "Rebuilding"),
    "rules_title": ("Quy tắc tính", "Counting rules"),
    "rules_text": (
        "Tốc độ so với mục tiêu chỉ tính các mẫu {net}; chỉ tiêu mẫu đếm mọi mẫu di động của xã trong tháng. "
        "Trung bình của huyện/tỉnh tính trên từng mẫu. Xã dưới {min} mẫu là chưa đủ dữ liệu. Tháng theo giờ Việt Nam.",
        "Speed against the target uses {net} measurements; the quota counts every mobile measurement of the commune "
        "in the month. District and province means are over measurements. Communes with fewer than {min} samples "
        "have insufficient data. Months are in Vietnam time.",
    ),
    # ---- errors: what went wrong, where, and what to do -------------------------------------------
    "err_store_missing": (
        "Không có thư mục kho dữ liệu {store}. Kiểm tra đường dẫn --store (hoặc biến ISPEED_STORE).",
        "The store folder {store} does not exist. Check the --store path (or the ISPEED_STORE variable).",
    ),
    "err_store_not_a_folder": (
        "{store} không phải là thư mục kho dữ liệu. Hãy chỉ tới một thư mục.",
        "{store} is not a store folder. Give a folder.",
    ),
    "err_store_not_writable": (
        "Không ghi được vào kho dữ liệu {store} ({reason}). Kiểm tra quyền ghi của thư mục.",
        "Cannot write to the store {store} ({reason}). Check the folder's permissions.",
    ),
    "err_store_busy": (
        "Kho dữ liệu đang được ghi ({action}, bởi {actor}, từ {since}). Hãy thử lại khi việc đó xong; không có gì bị thay đổi.",
        "The store is being written ({action}, by {actor}, since {since}). Try again when it has finished; nothing was changed.",
    ),
    "err_store_applying": (
        "Kho dữ liệu {store} đang dở một lần ghi mà tiến trình này không hoàn tất được. Chạy một lệnh ghi (ví dụ ingest) với quyền ghi để hoàn tất.",
        "The store {store} has a write half applied that this process cannot complete. Run a writing command (e.g. ingest) with write permission to complete it.",
    ),
    "err_store_no_overwrite": (
        "Tệp {target} đã có trong kho; không ghi đè.",
        "{target} already exists in the store; it is not overwritten.",
    ),
    "err_boundaries_exist": (
        "Kho đã có ranh giới xã. Để thay bằng ranh giới mới, dùng --replace (các mẫu đo đã nạp sẽ được xác định lại xã).",
        "The store already has boundaries. To load other ones use --replace (stored measurements are then re-assigned).",
    ),
    "err_referral_needs_boundaries": (
        "Chưa có ranh giới xã trong kho. Nạp ranh giới trước (lệnh boundaries), rồi mới nạp danh sách mã giới thiệu.",
        "The store has no boundaries yet. Load boundaries first (the boundaries command), then the referral list.",
    ),
    "err_ingest_needs_boundaries": (
        "Chưa có ranh giới xã trong kho. Nạp ranh giới trước: python -m analytics boundaries TỆP --store THƯ_MỤC.",
        "The store has no boundaries yet. Load them first: python -m analytics boundaries FILE --store DIR.",
    ),
    "err_referral_empty": (
        "{file}: không có mã giới thiệu nào trong tệp. Kiểm tra cột 'Mã giới thiệu'.",
        "{file}: the file holds no referral codes. Check the 'Mã giới thiệu' column.",
    ),
    "err_referral_matches_nothing": (
        "{file}: không mã nào trong {n} mã giới thiệu khớp với xã/phường của ranh giới đã nạp. Kiểm tra tệp có đúng tỉnh và đúng hệ thống đơn vị hành chính không.",
        "{file}: none of the {n} referral codes matches a commune of the loaded boundaries. Check that the list is for this province and this boundary system.",
    ),
    "err_referral_columns": (
        "{file}: cần một cột 'Mã giới thiệu' và một cột 'Xã/Phường' (hoặc 'Mã xã'); tệp có các cột: {columns}.",
        "{file}: needs a 'Mã giới thiệu' (referral code) column and a 'Xã/Phường' (commune) or 'Mã xã' column; the file has: {columns}.",
    ),
    "err_demo_not_empty": (
        "{store} đã có dữ liệu; dữ liệu minh họa chỉ được tạo trong một thư mục mới hoặc trống.",
        "{store} is not empty; the demo store is built in a new or empty folder.",
    ),
    "err_file_missing": (
        "{file}: không có tệp này. Kiểm tra đường dẫn và tên tệp.",
        "{file}: no such file. Check the path and the name.",
    ),
    "err_file_is_folder": (
        "{file} là một thư mục, không phải tệp. Hãy chỉ tới tệp trong thư mục đó.",
        "{file} is a folder, not a file. Give a file inside it.",
    ),
    "err_file_not_regular": ("{file} không phải là một tệp thông thường.", "{file} is not a regular file."),
    "err_file_unreadable": ("{file}: không có quyền đọc tệp này.", "{file}: the file cannot be read (permissions)."),
    "err_boundary_empty": ("{file}: tệp không có đối tượng ranh giới nào.", "{file}: the file holds no features."),
    "err_boundary_format": (
        "{file}: định dạng '{suffix}' không đọc được làm ranh giới. Dùng GeoParquet, GeoJSON, GeoPackage hoặc Shapefile (.shp hoặc .zip).",
        "{file}: '{suffix}' is not a boundary format. Use GeoParquet, GeoJSON, GeoPackage or Shapefile (.shp or .zip).",
    ),
    "err_boundary_unreadable": (
        "{file}: không đọc được tệp ranh giới ({detail}). Kiểm tra tệp có bị hỏng hoặc thiếu phần (.shp cần .shx, .dbf, .prj) không.",
        "{file}: cannot read the boundary file ({detail}). Check that it is whole (a .shp needs its .shx, .dbf and .prj).",
    ),
    "err_crs_invalid": (
        "--crs {crs}: không phải là một hệ tọa độ. Ví dụ đúng: EPSG:3405 (VN-2000 / UTM 48N).",
        "--crs {crs}: not a coordinate reference system. Example: EPSG:3405 (VN-2000 / UTM 48N).",
    ),
    "err_crs_missing_metres": (
        "{file}: tệp không khai báo hệ tọa độ và tọa độ ({x}, {y}) là mét chứ không phải độ. Cho biết hệ tọa độ bằng --crs, ví dụ --crs EPSG:3405 cho VN-2000 / UTM múi 48N.",
        "{file}: the file declares no CRS and its coordinates ({x}, {y}) are metres, not degrees. Give the CRS with --crs, e.g. --crs EPSG:3405 for VN-2000 / UTM zone 48N.",
    ),
    "err_boundary_metres_as_degrees": (
        "{file}: tệp khai báo tọa độ theo độ ({crs}) nhưng tọa độ ({x}, {y}) là mét (có thể là VN-2000 / UTM). Sửa tệp .prj hoặc cho hệ đúng bằng --crs, ví dụ --crs EPSG:3405.",
        "{file}: the file declares degrees ({crs}) but its coordinates ({x}, {y}) are metres (VN-2000 / UTM perhaps). Fix its .prj or give the right CRS with --crs, e.g. --crs EPSG:3405.",
    ),
    "err_boundary_not_vietnam": (
        "{file}: theo hệ tọa độ {crs} mà tệp khai báo, ranh giới nằm ngoài Việt Nam (kinh độ, vĩ độ: {bounds}). Hệ tọa độ khai báo có thể sai, hoặc kinh độ và vĩ độ bị đổi chỗ; cho hệ đúng bằng --crs.",
        "{file}: in the CRS it declares ({crs}) the boundaries lie outside Vietnam (lon/lat bounds: {bounds}). The declared CRS may be wrong, or longitude and latitude swapped; give the right CRS with --crs.",
    ),
    "err_map_unknown_field": (
        "--map {field}={column}: không có trường '{field}' (các trường: {fields}).",
        "--map {field}={column}: no field '{field}' (fields: {fields}).",
    ),
    "err_map_no_column": (
        "--map {field}={column}: {file} không có cột '{column}' (các cột: {columns}).",
        "--map {field}={column}: {file} has no column '{column}' (columns: {columns}).",
    ),
    "err_boundary_fields": (
        "{file}: thiếu trường bắt buộc {missing}; tệp có các cột: {columns}. Chỉ rõ cột nào là trường nào bằng --map TRƯỜNG=CỘT.",
        "{file}: missing required field(s) {missing}; the file has columns: {columns}. Say which column is which with --map FIELD=COLUMN.",
    ),
    "err_boundary_no_polygon": ("{file}: không xã nào có hình đa giác.", "{file}: no commune has a polygon geometry."),
    "err_boundary_duplicate_codes": (
        "{file}: mã xã phải là duy nhất; các mã bị lặp: {codes}. Sửa tệp để mỗi xã một dòng.",
        "{file}: commune codes must be unique; repeated: {codes}. Fix the file so that each commune has one row.",
    ),
    "err_input_empty": (
        "{file}: tệp rỗng, không có gì để nạp.",
        "{file}: the file is empty; there is nothing to load.",
    ),
    "err_input_not_format": (
        "{file}: tên tệp nói là {fmt} nhưng nội dung không phải {fmt}. Mở tệp bằng Excel/LibreOffice và lưu lại đúng định dạng.",
        "{file}: the name says {fmt} but the content is not {fmt}. Open it in Excel/LibreOffice and save it again in that format.",
    ),
    "err_input_no_rows": (
        "{file}: tệp có dòng tiêu đề cột nhưng không có dòng số liệu nào.",
        "{file}: the file has a header but no data rows.",
    ),
    "err_input_binary": (
        "{file}: không phải tệp văn bản CSV (có dữ liệu nhị phân). Hãy gửi tệp CSV, XLSX hoặc Parquet.",
        "{file}: not a text CSV file (it holds binary data). Send a CSV, XLSX or Parquet file.",
    ),
    "err_input_mixed_encoding": (
        "{file}: tệp trộn hai bảng mã: dòng {utf8_line} là UTF-8, dòng {other_line} là Windows-1258. Mở tệp bằng Excel/LibreOffice và lưu lại một lần, dạng CSV UTF-8.",
        "{file}: the file mixes two encodings: line {utf8_line} is UTF-8, line {other_line} Windows-1258. Open it in Excel/LibreOffice and save it once more as CSV UTF-8.",
    ),
    "err_input_encoding": (
        "{file}: dòng {line} không phải chữ UTF-8 hay Windows-1258. Lưu lại tệp dạng CSV UTF-8.",
        "{file}: line {line} is neither UTF-8 nor Windows-1258 text. Save the file again as CSV UTF-8.",
    ),
    "err_input_csv": (
        "{file}: không đọc được CSV ({detail}). Kiểm tra dấu phân cách và dấu ngoặc kép.",
        "{file}: cannot parse the CSV ({detail}). Check its delimiters and quotes.",
    ),
    "err_input_workbook": (
        "{file}: không đọc được bảng tính ({detail}). Tệp có thể bị hỏng hoặc có mật khẩu; mở bằng Excel/LibreOffice và lưu lại.",
        "{file}: cannot read the workbook ({detail}). It may be damaged or password-protected; open it in Excel/LibreOffice and save it again.",
    ),
    "err_input_parquet": (
        "{file}: không đọc được tệp Parquet, tệp bị cắt cụt hoặc hỏng ({detail}). Xuất lại tệp.",
        "{file}: cannot read the Parquet file, it is truncated or corrupt ({detail}). Export it again.",
    ),
    "err_input_nested": (
        "{file}: cột {columns} chứa danh sách/cấu trúc, không phải một giá trị mỗi ô. Xuất lại với mỗi ô một giá trị.",
        "{file}: column(s) {columns} hold lists or structures, not one value per cell. Export it again with one value per cell.",
    ),
    "err_input_no_header": (
        "{file}{where}: không tìm thấy dòng tên cột trong 30 dòng đầu; tệp cần các cột: {needed}. Dòng đầu tiên có: {first}. Kiểm tra đúng tệp và đặt tên cột như mẫu.",
        "{file}{where}: no header row in the first 30 rows; the file needs columns for: {needed}. Its first row holds: {first}. Check that it is the right file and name the columns as in the template.",
    ),
    "err_input_no_sheet": (
        "{file}: không trang tính nào có đủ các cột cần thiết (các trang: {sheets}). Kiểm tra dòng tiêu đề cột.",
        "{file}: no sheet has the columns needed (sheets: {sheets}). Check the header row.",
    ),
    "err_input_duplicate_header": (
        "{file}{where}: cột '{name}' xuất hiện hai lần (cột {first} và cột {second}). Đổi tên hoặc xóa một cột rồi nạp lại.",
        "{file}{where}: column '{name}' appears twice (columns {first} and {second}). Rename or delete one and load again.",
    ),
    "err_input_same_field_twice": (
        "{file}{where}: các cột {columns} đều là '{field}'; không rõ dùng cột nào. Giữ lại một cột rồi nạp lại.",
        "{file}{where}: columns {columns} all mean '{field}'; it is unclear which to use. Keep one and load again.",
    ),
    "err_input_missing_fields": (
        "{file}: thiếu cột {missing}. Tệp có các cột: {columns}. Đặt tên cột như mẫu i-Speed (ví dụ 'Thời gian đo', 'Nhà mạng', 'Tốc độ tải xuống (Mbps)', 'Tốc độ tải lên (Mbps)') rồi nạp lại.",
        "{file}: missing column(s) {missing}. The file has: {columns}. Name the columns as i-Speed exports do (e.g. 'Thời gian đo', 'Nhà mạng', 'Tốc độ tải xuống (Mbps)', 'Tốc độ tải lên (Mbps)') and load again.",
    ),
    "err_input_mostly_rejected": (
        "{file}: {rejected} trên {read} dòng không hợp lệ nên không nạp tệp này. Lý do chính: {sample}. Sửa tệp rồi nạp lại.",
        "{file}: {rejected} of {read} rows are not valid, so the file was not loaded. Main reasons: {sample}. Fix the file and load it again.",
    ),
    "err_input_cut_off": (
        "{file}: tệp dừng giữa chừng một ký tự ở dòng {line}, có lẽ bị cắt khi sao chép hoặc xuất. Sao chép hoặc xuất lại tệp đầy đủ rồi nạp lại.",
        "{file}: the file ends in the middle of a character on line {line}; it was probably cut off while being copied or exported. Copy or export the whole file again and load it.",
    ),
    "err_input_lost_letters": (
        "{file}: dòng tên cột có dấu '?' thay cho chữ tiếng Việt ({first}): tệp đã được lưu bằng bảng mã không có chữ tiếng Việt (Western European, Latin-1) nên chữ đã mất. Mở tệp gốc bằng Excel, lưu dạng 'CSV UTF-8' rồi nạp lại.",
        "{file}: the header has '?' where Vietnamese letters should be ({first}): the file was saved in an encoding without Vietnamese letters (Western European, Latin-1), which lost them. Open the original in Excel, save it as 'CSV UTF-8' and load that.",
    ),
    "err_input_line_too_long": (
        "{file}: dòng {line} dài hơn {size} mà không xuống dòng, trong khi một dòng số liệu đo chỉ vài trăm ký tự. Kiểm tra đúng tệp (CSV, mỗi lần đo một dòng, vài chục cột) rồi xuất lại.",
        "{file}: line {line} runs over {size} without a line break, where a measurement row is a few hundred characters. Check that this is the right file (a CSV with one measurement per line and a few dozen columns) and export it again.",
    ),
    "err_input_too_many_columns": (
        "{file}: dòng tên cột (dòng {line}) có {n} cột, quá {max} cột; tệp số liệu đo chỉ có vài chục cột. Kiểm tra đúng tệp và dấu phân cách, rồi xóa các cột thừa và nạp lại.",
        "{file}: the header (line {line}) has {n} columns, more than {max}; a measurement file has a few dozen. Check that this is the right file and its delimiter, remove the extra columns and load again.",
    ),
    "err_input_open_quote": (
        '{file}: dấu ngoặc kép (") mở ở dòng {line} không được đóng, nên các dòng sau bị gộp vào một ô. Đóng hoặc xóa dấu ngoặc kép ở dòng {line} rồi nạp lại.',
        '{file}: a quotation mark (") opened on line {line} is never closed, so the following lines run into one cell. Close or remove the quote on line {line} and load again.',
    ),
    "err_input_password": (
        "{file}: bảng tính được bảo vệ bằng mật khẩu nên không đọc được. Mở bằng Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi nạp.",
        "{file}: the workbook is protected by a password and cannot be read. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it), save it and load again.",
    ),
    "err_boundary_lonlat_swapped": (
        "{file}: kinh độ và vĩ độ bị đổi chỗ (x từ {x}, y từ {y}; Việt Nam ở kinh độ 102–118, vĩ độ 6–24). Xuất lại tệp với x là kinh độ, y là vĩ độ (GeoJSON luôn ghi kinh độ trước) rồi nạp lại.",
        "{file}: longitude and latitude are swapped (x from {x}, y from {y}; Vietnam lies at longitude 102–118, latitude 6–24). Export the file again with x = longitude and y = latitude (GeoJSON always puts longitude first) and load it.",
    ),
    "note_encoding_western": (
        "Tệp không phải UTF-8 hay Windows-1258 nên được đọc theo bảng mã Western European (Windows-1252); chữ tiếng Việt mà bảng mã này không có đã mất khi lưu tệp (thành '?'). Lưu dạng 'CSV UTF-8' để giữ đủ chữ.",
        "The file is neither UTF-8 nor Windows-1258, so it was read as Western European (Windows-1252); Vietnamese letters that encoding lacks were lost when the file was saved (as '?'). Save as 'CSV UTF-8' to keep them.",
    ),
    "reason_sample": ("{reason} ({count} dòng, ví dụ dòng {line})", "{reason} ({count} rows, e.g. line {line})"),
    "reason_time_unreadable": ("{column}: không đọc được thời gian", "{column}: cannot read the time"),
    "reason_time_missing": ("{column}: thiếu thời gian đo", "{column}: missing time"),
    "reason_time_too_early": (
        "{column}: thời gian trước khi có i-Speed (tháng 4/2021)",
        "{column}: time before i-Speed existed (April 2021)",
    ),
    "reason_time_future": ("{column}: thời gian sau lúc nạp tệp", "{column}: time after the moment of loading"),
    "reason_carrier_missing": ("{column}: thiếu nhà mạng", "{column}: missing carrier"),
    "reason_speed_missing": ("{column}: thiếu tốc độ", "{column}: missing speed"),
    "reason_speed_not_number": ("{column}: tốc độ không phải là số", "{column}: speed is not a number"),
    "reason_speed_not_finite": ("{column}: tốc độ vô hạn", "{column}: speed is not finite"),
    "reason_speed_negative": ("{column}: tốc độ âm", "{column}: negative speed"),
    "reason_speed_too_high": ("{column}: tốc độ trên 10.000 Mbps", "{column}: speed above 10,000 Mbps"),
    "reason_coord_not_number": ("{column}: tọa độ không phải là số", "{column}: coordinate is not a number"),
    "reason_lat_range": ("{column}: vĩ độ ngoài khoảng -90 đến 90", "{column}: latitude outside -90 to 90"),
    "reason_lon_range": ("{column}: kinh độ ngoài khoảng -180 đến 180", "{column}: longitude outside -180 to 180"),
    "reason_coords_swapped": ("{column}: vĩ độ và kinh độ bị đổi chỗ", "{column}: latitude and longitude are swapped"),
    "reason_row_fields": (
        "dòng có {actual} ô, dòng tiêu đề có {expected} cột",
        "the row has {actual} fields, the header {expected}",
    ),
    "reason_duplicate": ("trùng mã lần đo {id} (chỉ tính một lần)", "duplicate measurement id {id} (counted once)"),
    "reason_truncated": (
        "… và {n} dòng bị loại nữa không liệt kê ở đây (xem số dòng theo lý do trên trang Dữ liệu)",
        "... and {n} more rejected rows not listed here (see the counts by reason on the Data page)",
    ),
    "note_title_rows": (
        "Đã bỏ qua {n} dòng tiêu đề phía trên dòng tên cột{sheet}.",
        "Skipped {n} title row(s) above the header{sheet}.",
    ),
    "note_two_row_header": (
        "Tên cột gồm hai dòng (ô gộp){sheet}: đã ghép lại.",
        "The header spans two rows (merged cells){sheet}: combined.",
    ),
    "note_sheets": (
        "Đã đọc các trang: {used}; bỏ qua các trang không có cột số liệu đo: {skipped}.",
        "Read sheets: {used}; sheets without measurement columns left out: {skipped}.",
    ),
    "note_nested_ignored": (
        "Bỏ qua các cột dạng danh sách/cấu trúc: {columns}.",
        "List/structure columns ignored: {columns}.",
    ),
    "field_measured_at": ("Thời gian đo", "measurement time"),
    "field_carrier": ("Nhà mạng", "carrier"),
    "field_download_mbps": ("Tốc độ tải xuống (Mbps hoặc kbps)", "download speed (Mbps or kbps)"),
    "field_download_kbps": ("Tốc độ tải xuống (kbps)", "download speed (kbps)"),
    "field_upload_mbps": ("Tốc độ tải lên (Mbps hoặc kbps)", "upload speed (Mbps or kbps)"),
    "field_upload_kbps": ("Tốc độ tải lên (kbps)", "upload speed (kbps)"),
    "field_latency_ms": ("Độ trễ (ms)", "latency (ms)"),
    "field_jitter_ms": ("Độ dao động (ms)", "jitter (ms)"),
    "field_lat": ("Vĩ độ", "latitude"),
    "field_lon": ("Kinh độ", "longitude"),
    "field_referral_code": ("Mã giới thiệu", "referral code"),
    "field_network_type": ("Loại mạng", "network type"),
    "field_access_type": ("Loại truy nhập", "access type"),
    "field_measurement_id": ("Mã lần đo", "measurement id"),
    "field_device_os": ("Hệ điều hành", "operating system"),
    "field_is_auto": ("Đo tự động", "automatic"),
    "field_device_id": ("Mã thiết bị", "device id"),
    "field_commune_name": ("Xã/Phường", "commune"),
    "field_commune_code": ("Mã xã", "commune code"),
    "field_district_name": ("Huyện/Quận", "district"),
    "field_province_name": ("Tỉnh/Thành phố", "province"),
    # ---- data page, sign-in, audit ------------------------------------------------------------------
    "the_store": ("kho dữ liệu", "the store"),
    "files_loaded": ("Các tệp đã nạp", "Files loaded"),
    "n_districts": ("{n} huyện", "{n} districts"),
    "no_district_level": ("không có cấp huyện", "no district level"),
    "boundaries_summary": (
        "{communes} xã/phường · {provinces} tỉnh · {districts}",
        "{communes} communes · {provinces} province(s) · {districts}",
    ),
    "referral_summary": (
        "{codes} mã · {matched} mã đã gắn xã · {unmatched} mã chưa gắn",
        "{codes} codes · {matched} matched to communes · {unmatched} unmatched",
    ),
    "referral_upload_title": ("Nạp danh sách mã giới thiệu", "Load the referral-code list"),
    "referral_upload_help": (
        "CSV, XLSX, XLS hoặc ODS: cột mã giới thiệu và tên xã/phường (có thể kèm mã xã, huyện, tỉnh); dòng tiêu đề "
        "phía trên được bỏ qua. Mã bị Excel đổi thành số (mất số 0 đầu, dạng 6,05E+08) vẫn được đọc đúng.",
        "CSV, XLSX, XLS or ODS: a referral-code column and the commune's name (commune code, district and province "
        "may be given); title rows above the header are skipped. Codes Excel turned into numbers (leading zero "
        "lost, 6.05E+08) are read correctly.",
    ),
    "referral_done": (
        "Đã nạp {name}: {codes} mã, {matched} mã đã gắn xã.",
        "Loaded {name}: {codes} codes, {matched} matched to communes.",
    ),
    "boundaries_upload_title": ("Nạp ranh giới xã/phường", "Load commune boundaries"),
    "boundaries_upload_help": (
        "GeoParquet, GeoJSON, GeoPackage, hoặc Shapefile nén .zip (gồm .shp, .shx, .dbf, .prj). Hệ tọa độ đọc từ tệp (VN-2000 được).",
        "GeoParquet, GeoJSON, GeoPackage, or a zipped Shapefile (.shp, .shx, .dbf, .prj). The CRS is read from the file (VN-2000 works).",
    ),
    "boundaries_replace": (
        "Thay ranh giới đang dùng (các mẫu đo đã nạp sẽ được xác định lại xã theo tọa độ)",
        "Replace the boundaries in use (stored measurements are re-assigned by their coordinates)",
    ),
    "boundaries_done": (
        "Đã nạp {name}: {communes} xã/phường; bỏ qua {dropped} đối tượng.",
        "Loaded {name}: {communes} communes; {dropped} features left out.",
    ),
    "choose_file": ("Chọn tệp…", "Choose a file…"),
    "delete_title": ("Xóa một tệp đã nạp", "Delete a loaded file"),
    "delete_pick": ("Tệp cần xóa", "File to delete"),
    "delete_confirm": (
        "Tôi hiểu: mọi mẫu đo của tệp này sẽ bị xóa khỏi kho (có thể nạp lại sau).",
        "I understand: every measurement of this file is removed from the store (it can be loaded again later).",
    ),
    "delete_button": ("Xóa khỏi kho", "Delete from the store"),
    "delete_done": ("Đã xóa {name}: {rows} mẫu đo.", "Deleted {name}: {rows} measurements."),
    "err_no_such_batch": (
        "Không có lần nạp {batch} trong kho (có thể đã bị xóa).",
        "No load {batch} in the store (it may have been deleted already).",
    ),
    "samples_unit": ("mẫu", "samples"),
    "change_failed": (
        "Không thực hiện được thay đổi với {name} do một lỗi không lường trước; kho dữ liệu không thay đổi. Báo cho người quản trị hệ thống.",
        "The change with {name} failed on an unexpected error; the store is unchanged. Tell the system administrator.",
    ),
    "writing_now": (
        "Đang ghi kho: {action}, bởi {actor}, từ {since}.",
        "The store is being written: {action}, by {actor}, since {since}.",
    ),
    "audit_title": ("Nhật ký thay đổi dữ liệu", "Change log"),
    "audit_empty": ("Chưa có thay đổi nào được ghi lại.", "No change recorded yet."),
    "col_when": ("Thời điểm", "When"),
    "col_who": ("Người thực hiện", "Who"),
    "col_action": ("Việc", "Action"),
    "col_what": ("Nội dung", "What"),
    "col_sheet": ("Trang tính", "Sheet"),
    "col_line": ("Dòng", "Line"),
    "col_reason": ("Lý do", "Reason"),
    "via_browser": ("trình duyệt", "browser"),
    "via_cli": ("dòng lệnh", "command line"),
    "via_system": ("hệ thống", "system"),
    "audit_ingest": (
        "nhận {accepted} mẫu, loại {rejected}, trùng {duplicate}",
        "{accepted} measurements added, {rejected} rejected, {duplicate} duplicates",
    ),
    "audit_boundaries": ("{communes} xã/phường", "{communes} communes"),
    "audit_replaced": (
        "(thay {old} xã/phường cũ; xác định lại xã cho {rows} mẫu, {changed} mẫu đổi xã)",
        "(replacing {old} communes; {rows} measurements re-assigned, {changed} changed commune)",
    ),
    "audit_referral": ("{codes} mã, {matched} mã đã gắn xã", "{codes} codes, {matched} matched"),
    "audit_referral_replaced": ("(thay danh sách cũ {old} mã)", "(replacing the earlier list of {old} codes)"),
    "audit_delete": ("xóa {rows} mẫu đo", "{rows} measurements removed"),
    "officer_local_name": ("cán bộ dữ liệu (mật khẩu)", "data officer (password)"),
    "sign_in_to_view": ("Cần đăng nhập để xem bảng điều khiển này.", "Sign in to view this dashboard."),
    "sign_in_provider": ("Đăng nhập bằng tài khoản cơ quan", "Sign in with your organisation account"),
    "sign_in_misconfigured": (
        "Bảng điều khiển yêu cầu đăng nhập nhưng chưa cấu hình cách đăng nhập. Báo cho người quản trị hệ thống.",
        "Sign-in is required but no way to sign in is configured. Tell the system administrator.",
    ),
    "changes_disabled": (
        "Thay đổi dữ liệu từ trình duyệt đang tắt. Người quản trị bật bằng một trong hai cách: đặt mã băm mật khẩu cán bộ dữ liệu (tạo bằng lệnh python -m analytics password) vào .streamlit/secrets.toml, mục [atlas], khóa officer_password_hash, hoặc biến môi trường ISPEED_OFFICER_PASSWORD_HASH; hoặc cấu hình đăng nhập OpenID Connect trong mục [auth] và liệt kê e-mail cán bộ trong [atlas] officers. Nạp dữ liệu bằng dòng lệnh vẫn dùng được.",
        "Changing data from the browser is switched off. The administrator turns it on in one of two ways: put the data officer's password hash (made with python -m analytics password) in .streamlit/secrets.toml, section [atlas], key officer_password_hash, or in the ISPEED_OFFICER_PASSWORD_HASH variable; or configure OpenID Connect sign-in in [auth] and list the officers' e-mail addresses in [atlas] officers. Loading from the command line works either way.",
    ),
    "changes_need_sign_in": (
        "Chỉ cán bộ dữ liệu đã đăng nhập mới được nạp hoặc xóa dữ liệu.",
        "Only a signed-in data officer may load or delete data.",
    ),
    "signed_in_as": (
        "Đã đăng nhập: {who}. Có thể nạp và xóa dữ liệu.",
        "Signed in: {who}. You may load and delete data.",
    ),
    "not_an_officer": ("Tài khoản {who} không có quyền thay đổi dữ liệu.", "The account {who} may not change data."),
    "sign_out": ("Đăng xuất", "Sign out"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "password": ("Mật khẩu", "Password"),
    "wrong_password": (
        "Mật khẩu không đúng. Lần thử sau phải chờ lâu hơn.",
        "Wrong password. The next attempt has to wait longer.",
    ),
    "action_ingest": ("nạp số liệu đo", "loading measurements"),
    "action_boundaries": ("nạp ranh giới", "loading boundaries"),
    "action_referral": ("nạp mã giới thiệu", "loading referral codes"),
    "action_demo": ("tạo dữ liệu minh họa", "building the demo"),
    "action_delete": ("xóa một lần nạp", "deleting a load"),
    "action_rebuild": ("tính lại dữ liệu dẫn xuất", "rebuilding derived data"),
    "action_derive": ("tính dữ liệu tổng hợp còn thiếu", "computing missing summaries"),
    "err_month_format": (
        "--month {month}: tháng phải viết dạng NNNN-TT, ví dụ 2025-10.",
        "--month {month}: write the month as YYYY-MM, e.g. 2025-10.",
    ),
    "err_no_boundaries": (
        "Kho {store} chưa có ranh giới xã. Nạp ranh giới trước (lệnh boundaries).",
        "The store {store} has no boundaries. Load them first (the boundaries command).",
    ),
    "err_no_month": (
        "Không có số liệu đo của tháng {month}. Các tháng có số liệu: {months}.",
        "No measurements for {month}. Months with measurements: {months}.",
    ),
    "err_unknown_district": (
        "--district {codes}: không có mã huyện này trong ranh giới đã nạp.",
        "--district {codes}: no such district code in the loaded boundaries.",
    ),
    "err_no_chromium": (
        "Không xuất được ảnh: thiếu trình duyệt Chromium ({path}). Cài bằng: apt-get install chromium (make run tự cài).",
        "Cannot render images: Chromium is missing ({path}). Install it with apt-get install chromium (make run does).",
    ),
    "err_out_is_folder": (
        "--out {out} là một thư mục. Hãy cho tên tệp, ví dụ {out}/bao-cao.xlsx.",
        "--out {out} is a folder. Give a file name, e.g. {out}/report.xlsx.",
    ),
    "err_out_under_file": (
        "--out {out}: {blocker} là một tệp, không phải thư mục, nên không tạo được tệp bên trong. Chọn đường dẫn khác.",
        "--out {out}: {blocker} is a file, not a folder, so nothing can be written under it. Choose another path.",
    ),
    "err_out_not_writable": (
        "--out {out}: không có quyền ghi vào {folder}. Chọn một thư mục của bạn.",
        "--out {out}: {folder} cannot be written to. Choose a folder of yours.",
    ),
    "err_out_write_failed": (
        "Không ghi được {out} ({reason}). Không tệp nào bị ghi dở.",
        "Could not write {out} ({reason}). No half-written file was left.",
    ),
    "err_map_syntax": (
        "--map {item}: viết theo dạng TRƯỜNG=CỘT, ví dụ commune_code=MA_XA.",
        "--map {item}: write it as FIELD=COLUMN, e.g. commune_code=MA_XA.",
    ),
    "err_password_mismatch": (
        "Hai lần nhập mật khẩu không giống nhau. Chạy lại lệnh.",
        "The two passwords differ. Run the command again.",
    ),
    "err_password_short": ("Mật khẩu cần ít nhất {n} ký tự.", "The password needs at least {n} characters."),
    # ---- command line --------------------------------------------------------------------------------
    "cli_description": (
        "i-Speed Atlas: nạp dữ liệu đo, ranh giới, mã giới thiệu và lập báo cáo.",
        "i-Speed Atlas: load measurements, boundaries and referral codes, and make reports.",
    ),
    "cli_commands": ("các lệnh", "commands"),
    "cli_usage": ("cách dùng:", "usage:"),
    "cli_positionals": ("tham số", "positional arguments"),
    "cli_options": ("tùy chọn", "options"),
    "cli_help_help": ("hiện hướng dẫn này rồi thoát", "show this help message and exit"),
    "cli_help_lang": ("ngôn ngữ của thông báo: vi (mặc định) hoặc en", "language of the messages: vi (default) or en"),
    "cli_file": ("TỆP", "FILE"),
    "cli_error": ("lỗi: {message}", "error: {message}"),
    "cli_interrupted": (
        "lỗi: đã dừng theo yêu cầu; kho dữ liệu không thay đổi.",
        "error: interrupted; the store is unchanged.",
    ),
    "cli_unexpected": (
        "lỗi không lường trước ({kind}: {detail}); kho dữ liệu không thay đổi. Chạy lại với --debug để xem chi tiết.",
        "unexpected error ({kind}: {detail}); the store is unchanged. Run again with --debug for details.",
    ),
    "cli_arg_required": ("thiếu tham số bắt buộc: {a1}", "missing required argument(s): {a1}"),
    "cli_arg_choice": ("{a1}: không có lựa chọn {a2} (chọn một trong {a3})", "{a1}: no choice {a2} (choose from {a3})"),
    "cli_arg_expected": ("{a1}: cần một giá trị", "{a1}: expects one value"),
    "cli_arg_invalid": ("{a1}: giá trị không hợp lệ {a2}", "{a1}: invalid value {a2}"),
    "cli_arg_unknown": ("tham số không nhận ra: {a1}", "unrecognised argument(s): {a1}"),
    "cli_arg_ambiguous": ("tùy chọn {a1} không rõ, có thể là {a2}", "option {a1} is ambiguous: it could be {a2}"),
    "cli_arg_other": ("{a1}: {a2}", "{a1}: {a2}"),
    "cli_setting_range": (
        "{value} không hợp lệ: cần một số từ {low} đến {high}",
        "{value} is not valid: give a number from {low} to {high}",
    ),
    "cli_default": ("(mặc định {value})", "(default {value})"),
    "cli_help_store": (
        "thư mục kho dữ liệu (mặc định: biến ISPEED_STORE, nếu không có thì kho minh họa)",
        "store folder (default: $ISPEED_STORE, else the embedded demo store)",
    ),
    "cli_help_wait": (
        "nếu kho đang được ghi bởi việc khác, chờ tối đa ngần này giây (mặc định {seconds}) rồi từ chối",
        "if another load is writing the store, wait at most this many seconds (default {seconds}), then refuse",
    ),
    "cli_help_map": (
        "dùng CỘT của tệp cho TRƯỜNG (province_code, province_name, district_code, district_name, commune_code, commune_name); lặp lại được",
        "use COLUMN of the file for FIELD (province_code, province_name, district_code, district_name, commune_code, commune_name); repeatable",
    ),
    "cli_help_crs": (
        "hệ tọa độ của tệp không khai báo, ví dụ EPSG:3405 (VN-2000 / UTM 48N)",
        "CRS of a file that declares none, e.g. EPSG:3405 (VN-2000 / UTM 48N)",
    ),
    "cli_help_effective_from": (
        "tháng đầu tiên ranh giới mới có hiệu lực (mặc định: 2025-07 khi ranh giới không còn cấp huyện thay ranh giới có huyện; nếu không, mọi tháng)",
        "first month the new boundaries are in force (default: 2025-07 when boundaries without districts replace boundaries with districts; otherwise every month)",
    ),
    "cli_month_syntax": (
        "'{month}': tháng phải viết dạng NNNN-TT, ví dụ 2025-07",
        "'{month}': write the month as YYYY-MM, e.g. 2025-07",
    ),
    "cli_help_replace": (
        "thay ranh giới đã nạp và xác định lại xã cho các mẫu đo đã lưu",
        "replace loaded boundaries and re-assign stored measurements to the new communes",
    ),
    "cli_help_network": (
        "loại mạng tính tốc độ (mặc định 4G); lặp lại được",
        "network type(s) for the speed figures (default 4G); repeatable",
    ),
    "cli_help_carrier": ("nhà mạng (mặc định: tất cả); lặp lại được", "carrier name(s) (default: all); repeatable"),
    "cli_help_district": ("mã huyện (mặc định: tất cả); lặp lại được", "district code(s) (default: all); repeatable"),
    "cli_help_format": ("csv, xlsx hoặc pptx", "csv, xlsx or pptx"),
    "cli_help_out": ("tệp kết quả", "the file to write"),
    "help_speed_target": ("mục tiêu tốc độ tải xuống trung bình, Mbps", "mean download speed target, Mbps"),
    "help_quota": ("chỉ tiêu số mẫu đo mỗi xã mỗi tháng", "measurements per commune and month (the quota)"),
    "help_min_samples": (
        "xã có ít mẫu tính tốc độ hơn số này là chưa đủ dữ liệu",
        "a commune with fewer speed measurements than this has insufficient data",
    ),
    "cli_demo_help": ("tạo kho dữ liệu minh họa", "build the fictional demo store"),
    "cli_demo_description": (
        "Tạo kho minh họa: một tỉnh giả định, ghi rõ là dữ liệu minh họa, với ranh giới và các tháng số liệu tổng hợp, nạp bằng đúng các bước nạp số liệu thật. Chỉ tạo trong thư mục mới hoặc trống.",
        "Build the demo store: a fictional province labelled as demo data, with synthetic communes and months of measurements, loaded through the same import and ingest as real data. Refuses a folder that holds data.",
    ),
    "cli_boundaries_help": ("nạp ranh giới xã/phường", "load commune boundaries"),
    "cli_boundaries_description": (
        "Nạp ranh giới xã/phường (GeoParquet, GeoJSON, GeoPackage hoặc Shapefile). Hệ tọa độ đọc từ tệp và chuyển về EPSG:4326; đa giác lỗi được sửa; đối tượng không có mã xã được báo và bỏ qua.",
        "Load commune boundaries (GeoParquet, GeoJSON, GeoPackage or Shapefile). The CRS is read from the file and reprojected to EPSG:4326; invalid polygons are repaired; features without a commune code are reported and left out.",
    ),
    "cli_referral_help": ("nạp danh sách mã giới thiệu", "load the referral-code list"),
    "cli_referral_description": (
        "Nạp danh sách mã giới thiệu (CSV hoặc XLSX: STT, Mã giới thiệu, Xã/Phường, Huyện/Quận, Tỉnh/Thành phố) và gắn mỗi mã với một xã. In ra mọi mã không khớp, khớp nhiều xã hoặc có tên không khớp với mã.",
        "Load a referral-code list (CSV or XLSX: STT, Mã giới thiệu, Xã/Phường, Huyện/Quận, Tỉnh/Thành phố) and match each code to a commune. Prints every code that matches no commune, several, or disagrees with its names.",
    ),
    "cli_ingest_help": ("nạp tệp số liệu đo", "ingest measurement files"),
    "cli_ingest_description": (
        "Kiểm tra các tệp số liệu đo (CSV, XLSX, Parquet) và thêm vào kho theo tháng. Dòng bị loại được ghi vào rejects/ kèm tệp, dòng và lý do; mẫu trùng chỉ tính một lần; các tệp được thêm cùng lúc hoặc không tệp nào.",
        "Validate measurement files (CSV, XLSX, Parquet) and add them to the store's monthly snapshots. Rejected rows go to rejects/ with file, line and reason; repeated measurements are counted once; all files are added together or not at all.",
    ),
    "cli_report_help": ("lập báo cáo theo xã", "write the commune report"),
    "cli_report_description": (
        "Lập báo cáo một tháng: mỗi xã một dòng, số mẫu so với chỉ tiêu và tốc độ 4G so với mục tiêu (docs/DATA.md).",
        "Write the commune report of one month: one row per commune with samples against the quota and 4G speed against the target (docs/DATA.md).",
    ),
    "cli_password_help": ("tạo mã băm mật khẩu cho cán bộ dữ liệu", "make a password hash for the data officer"),
    "cli_password_description": (
        "Hỏi một mật khẩu (hai lần) và in mã băm scrypt của nó để đặt vào .streamlit/secrets.toml ([atlas] officer_password_hash) hoặc biến ISPEED_OFFICER_PASSWORD_HASH. Mật khẩu không được lưu ở đâu.",
        "Ask for a password (twice) and print its scrypt hash, to put in .streamlit/secrets.toml ([atlas] officer_password_hash) or in ISPEED_OFFICER_PASSWORD_HASH. The password itself is stored nowhere.",
    ),
    "cli_password_prompt": ("Mật khẩu mới: ", "New password: "),
    "cli_password_again": ("Nhập lại: ", "Again: "),
    "cli_password_where": (
        "Đặt dòng trên vào .streamlit/secrets.toml, mục [atlas], khóa officer_password_hash (hoặc biến ISPEED_OFFICER_PASSWORD_HASH).",
        "Put the line above in .streamlit/secrets.toml, section [atlas], key officer_password_hash (or in ISPEED_OFFICER_PASSWORD_HASH).",
    ),
    "cli_waiting": (
        "Đang chờ: kho dữ liệu đang được ghi ({action}, bởi {actor}, từ {since})…",
        "Waiting: the store is being written ({action}, by {actor}, since {since})…",
    ),
    "cli_demo_done": (
        "Đã tạo kho minh họa tại {store}: các tháng {months}",
        "Demo store built in {store}: months {months}",
    ),
    "cli_boundaries_done": (
        "{file}: đã nạp {communes} xã/phường ({provinces} tỉnh, {districts}; hệ tọa độ gốc {crs}); sửa {repaired} hình, bỏ qua {dropped} đối tượng",
        "{file}: {communes} communes loaded ({provinces} province(s), {districts}; source CRS {crs}); {repaired} geometries repaired, {dropped} features left out",
    ),
    "cli_districts": ("{n} huyện", "{n} district(s)"),
    "cli_no_districts": ("không có cấp huyện", "no districts"),
    "cli_left_out": ("bỏ qua: {item}", "left out: {item}"),
    "cli_referral_done": (
        "{file}: {codes} mã, {matched} mã đã gắn xã, {unmatched} mã chưa gắn, {problems} điểm cần xem",
        "{file}: {codes} codes, {matched} matched to communes, {unmatched} unmatched, {problems} problem(s)",
    ),
    "cli_more": ("… và {n} dòng nữa", "... and {n} more"),
    "cli_ingest_line": (
        "{file}: đọc {read}, nhận {accepted}, loại {rejected}, trùng {duplicate}, chưa xác định xã {unassigned}",
        "{file}: read {read}, accepted {accepted}, rejected {rejected}, duplicate {duplicate}, unassigned {unassigned}",
    ),
    "cli_already_ingested": (
        "(đã nạp trước đây, lần nạp {batch}; không thêm gì)",
        "(already ingested as batch {batch}; nothing added)",
    ),
    "cli_rejects_at": (
        "các dòng bị loại và trùng, kèm lý do: {path}",
        "rejected and duplicate rows with reasons: {path}",
    ),
    "cli_ingest_total": (
        "tổng: đọc {read}, nhận {accepted}, loại {rejected}, trùng {duplicate}, chưa xác định xã {unassigned}",
        "total: read {read}, accepted {accepted}, rejected {rejected}, duplicate {duplicate}, unassigned {unassigned}",
    ),
    "cli_report_done": ("đã ghi {out}", "wrote {out}"),
    # ---- referral matching, placing measurements, boundary sets (RULES §13, §16, §17) ------------------------
    "ref_problem": ("{where}: {what}", "{where}: {what}"),
    "ref_where": ("{file}, dòng {line}, mã {code}", "{file} line {line}, code {code}"),
    "ref_duplicate": (
        "mã này có nhiều lần trong danh sách; dùng dòng đầu tiên",
        "the code appears more than once in the list; the first row is used",
    ),
    "ref_no_name": (
        "không xã/phường nào mang mã này và dòng không ghi tên xã/phường: ghi thêm tên xã/phường",
        "no commune has that code and the row gives no commune name: add the commune's name",
    ),
    "ref_no_such_name": (
        "không có xã/phường tên '{name}' ({area}) trong ranh giới đã nạp: kiểm tra chính tả, hoặc danh sách thuộc tỉnh khác",
        "no commune named '{name}' ({area}) in the loaded boundaries: check the spelling, or whether the list is for another province",
    ),
    "ref_no_area": ("không ghi huyện, tỉnh", "no district or province given"),
    "ref_ambiguous": (
        "'{name}' trùng tên {n} xã/phường: {names}; ghi thêm huyện/tỉnh hoặc mã xã để phân biệt",
        "'{name}' matches {n} communes: {names}; add the district/province or the commune code to tell them apart",
    ),
    "ref_name_disagrees": (
        "{field} ghi '{given}', khác với xã/phường của mã ({known}); theo mã",
        "{field} '{given}' disagrees with the code's commune ({known}); the code decides",
    ),
    "ref_spelling": (
        "{field} ghi '{given}', ranh giới ghi '{known}' (khác dấu)",
        "{field} spelled '{given}', boundaries have '{known}' (diacritics differ)",
    ),
    "ref_prefix_differs": (
        "danh sách ghi '{given}', ranh giới ghi '{known}' (khác tiền tố)",
        "the list says '{given}', the boundaries '{known}' (prefix differs)",
    ),
    "ref_lineage": ("{old} (ranh giới cũ) nay thuộc {new}", "{old} (earlier boundaries) now lies in {new}"),
    "ref_former": (
        "{old} (ranh giới cũ) nằm ngoài các xã/phường hiện nay: mã không xếp được số đo nào",
        "{old} (earlier boundaries) lies outside today's communes: the code places no measurement",
    ),
    "ref_kept_former": (
        "mã cũ, không có trong danh sách mới: vẫn giữ để xếp các số đo cũ mang mã này",
        "an earlier code the new list does not have: kept to place the older measurements that carry it",
    ),
    "method_commune_code": ("theo mã xã", "by commune code"),
    "method_gso_code": (
        "theo mã giới thiệu (mã tỉnh–huyện–xã)",
        "by the referral code (province–district–commune code)",
    ),
    "method_name": ("theo tên xã/phường", "by commune name"),
    "method_lineage": ("theo xã cũ (trước khi sắp xếp)", "by the former commune (before the reorganisation)"),
    "method_unmatched": ("không tìm thấy xã/phường", "no commune found"),
    "method_ambiguous": ("trùng tên nhiều xã/phường", "several communes of that name"),
    "method_former": ("xã cũ không còn", "former commune, gone"),
    "moved_summary": (
        "Xếp lại {rows} số đo: {changed} đổi xã/phường, {gained} nay đã xác định xã, {lost} nay chưa xác định xã",
        "Placed {rows} measurements again: {changed} changed commune, {gained} now placed, {lost} now unplaced",
    ),
    "moved_line": ("{n} số đo: {before} → {after}", "{n} measurements: {before} → {after}"),
    "moved_nowhere": ("(chưa xác định xã)", "(no commune)"),
    "unassigned_no_location": ("Không có tọa độ", "No coordinates"),
    "unassigned_outside": ("Tọa độ nằm ngoài các xã/phường đã nạp", "Coordinates outside the loaded communes"),
    "unassigned_code_none": ("không có mã giới thiệu", "no referral code"),
    "unassigned_code_no_list": (
        "có mã giới thiệu nhưng chưa nạp danh sách mã",
        "a referral code, but no referral list loaded",
    ),
    "unassigned_code_not_in_list": ("mã giới thiệu không có trong danh sách", "a referral code the list does not have"),
    "unassigned_code_unmatched": (
        "mã giới thiệu chưa gắn được với xã/phường nào",
        "a referral code the list could not place",
    ),
    "unassigned_code_former": (
        "mã giới thiệu của xã cũ không còn tồn tại",
        "a referral code of a commune that no longer exists",
    ),
    "unassigned_not_recorded": (
        "Chưa ghi lý do (kho tạo bởi phiên bản cũ: chạy lệnh rebuild)",
        "Reason not recorded (store from an earlier version: run rebuild)",
    ),
    "unassigned_reason_join": ("{location}, {code}", "{location}, {code}"),
    "err_rollups_stale": (
        "Dữ liệu tổng hợp của kho {store} chưa khớp với số liệu đo (tháng {months}). Người quản lý dữ liệu chạy: python -m analytics rebuild --store {store}",
        "The summaries in the store {store} do not match its measurements (months {months}). The data officer runs: python -m analytics rebuild --store {store}",
    ),
    "audit_derive": ("{months} tháng", "{months} months"),
    "deriving": (
        "Đang tính dữ liệu tổng hợp cho kho này (một lần, sau khi nâng cấp phiên bản)…",
        "Computing this store's summaries (once, after an upgrade)…",
    ),
    "deriving_progress": ("Đang tính dữ liệu tổng hợp: {percent}%…", "Computing the summaries: {percent}%…"),
    "deriving_eta": (
        "Đang tính dữ liệu tổng hợp: {percent}%, còn khoảng {seconds} giây…",
        "Computing the summaries: {percent}%, about {seconds} s left…",
    ),
    "derive_failed": ("Không tính được dữ liệu tổng hợp: {reason}", "The summaries could not be computed: {reason}"),
    "err_store_needs_rebuild": (
        "Kho {store} được ghi bởi phiên bản cũ (định dạng {found}, cần {wanted}). Người quản lý dữ liệu chạy: python -m analytics rebuild --store {store}",
        "The store {store} was written by an earlier version (format {found}, needs {wanted}). The data officer runs: python -m analytics rebuild --store {store}",
    ),
    "cli_rebuild_help": (
        "dựng lại mọi dữ liệu dẫn xuất từ số liệu đo đã lưu",
        "rebuild every derived file from the stored measurements",
    ),
    "cli_rebuild_description": (
        "Xếp lại mọi số đo vào xã/phường (theo ranh giới và danh sách mã giới thiệu đang dùng) và dựng lại mọi dữ liệu dẫn xuất. Dùng sau khi nâng cấp phiên bản.",
        "Place every measurement again (with the boundaries and referral list in force) and rebuild every derived file. Run it after an upgrade.",
    ),
    "cli_rebuild_done": ("Đã dựng lại kho {store}.", "Rebuilt the store {store}."),
    "cli_effective_from": ("áp dụng từ {month}", "in force from {month}"),
    "cli_effective_always": ("áp dụng cho mọi tháng", "in force for every month"),
    "cli_area_changed": (
        "khu vực thay đổi: {after} diện tích mới so với ranh giới trước, {before} diện tích cũ không còn; {covered}/{communes} xã/phường mới nằm trong khu vực cũ",
        "the area changed: {after} of it is new, {before} of the earlier area is gone; {covered}/{communes} new communes lie in the earlier area",
    ),
    "cli_referral_rematched": (
        "Danh sách mã giới thiệu khớp lại với ranh giới mới: {matched}/{codes} mã đã gắn xã ({lineage} theo xã cũ)",
        "Referral list matched again to the new boundaries: {matched}/{codes} codes placed ({lineage} through their former commune)",
    ),
    "cli_referral_kept_former": (
        "Giữ {n} mã của danh sách cũ (không có trong danh sách mới) để xếp các số đo cũ.",
        "Kept {n} codes of the earlier list (not in the new one) to place older measurements.",
    ),
    "cli_unassigned_reason": ("  chưa xác định xã – {reason}: {n}", "  unassigned – {reason}: {n}"),
    "cli_note": ("  {note}", "  {note}"),
    "stage_files": ("Đang nạp các tệp", "Loading the files"),
    "building_demo_short": ("Tạo dữ liệu minh họa", "Building the demo"),
    # ---- who, where and when (RULES §20, §21) ----
    "device_day_cap": (
        "Số lần đo tính cho mỗi máy mỗi ngày (0 = không giới hạn)",
        "Tests counted per device a day (0 = no cap)",
    ),
    "help_device_day_cap": (
        "chỉ tính N lần đo đầu tiên trong ngày của mỗi thiết bị vào tốc độ và chỉ tiêu mẫu (M-Lab dùng 2); 0 là tính mọi lần đo",
        "only each device's first N tests of a day count toward speeds and the quota (M-Lab uses 2); 0 counts every test",
    ),
    "min_devices": ("Số thiết bị tối thiểu của một xã", "Minimum devices in a commune"),
    "help_min_devices": (
        "xã có số mẫu đủ đánh giá nhưng từ ít thiết bị hơn số này bị đánh dấu «ít thiết bị»",
        "a commune whose samples come from fewer devices than this is flagged 'few devices'",
    ),
    "max_top_device_pct": ("Tỷ lệ tối đa từ một thiết bị", "Most samples from one device"),
    "help_max_top_device_pct": (
        "xã có tỷ lệ mẫu từ thiết bị đo nhiều nhất vượt mức này bị đánh dấu «ít thiết bị»",
        "a commune whose most active device gave more than this share of its samples is flagged 'few devices'",
    ),
    "min_cell_pct": ("Tỷ lệ diện tích tối thiểu có mẫu", "Minimum share of the area measured"),
    "help_min_cell_pct": (
        "xã có tỷ lệ ô lưới (H3, khoảng 0,74 km²) có mẫu thấp hơn mức này bị đánh dấu «mẫu tập trung một chỗ»",
        "a commune with a smaller share of its grid cells (H3, about 0.74 km²) measured is flagged 'one place'",
    ),
    "max_office_pct": ("Tỷ lệ tối đa trong giờ hành chính", "Most samples in office hours"),
    "help_max_office_pct": (
        "xã có tỷ lệ mẫu đo trong giờ hành chính (7:00–17:00, thứ Hai–thứ Sáu) vượt mức này bị đánh dấu",
        "a commune with more than this share of samples in office hours (07:00–17:00, Monday–Friday) is flagged",
    ),
    "cap_words": ("tối đa {cap} lần đo/máy/ngày", "at most {cap} tests per device a day"),
    "account_left_out_by_cap": (
        "Không tính do vượt giới hạn lần đo mỗi máy mỗi ngày",
        "Left out: beyond the tests counted per device a day",
    ),
    "campaign_no_samples": ("Chưa có mẫu đo", "No samples"),
    "campaign_too_few": (
        "Chỉ {samples} mẫu, dưới {min}: chưa đủ để đánh giá",
        "Only {samples} samples, under {min}: too few to judge",
    ),
    "campaign_met_but": ("Đủ {samples} mẫu nhưng {flags}", "{samples} samples, quota met, but {flags}"),
    "campaign_under_and": ("Thiếu {missing} mẫu; {flags}", "{missing} samples short of the quota; {flags}"),
    "campaign_met_spread": (
        "Đủ {samples} mẫu, không thấy dấu hiệu tập trung (thiết bị, địa điểm, giờ đo)",
        "{samples} samples, quota met, no sign of concentration (devices, places, hours)",
    ),
    "campaign_under_spread": (
        "Thiếu {missing} mẫu; các mẫu đã có không tập trung",
        "{missing} samples short of the quota; those there are not concentrated",
    ),
    "campaign_devices_unknown": (
        "chưa biết số thiết bị (dữ liệu không có mã thiết bị)",
        "devices unknown (no device identifier in the data)",
    ),
    "campaign_cells_unknown": ("chưa biết mẫu rải ở đâu (không có toạ độ)", "spread unknown (no coordinates)"),
    "campaign_few_devices": (
        "{top}% mẫu từ một thiết bị ({devices} thiết bị)",
        "{top}% from one device ({devices} devices)",
    ),
    "campaign_narrow_area": ("mẫu chỉ ở {cells}% diện tích xã", "samples in only {cells}% of the commune's area"),
    "campaign_office_hours": ("{office}% mẫu trong giờ hành chính", "{office}% of samples in office hours"),
    "action_few_devices": ("huy động thêm người dân đo bằng máy của mình", "have more people test on their own phones"),
    "action_narrow_area": ("đo ở các thôn, khu vực khác trong xã", "test in the commune's other villages and places"),
    "action_office_hours": ("đo thêm buổi tối và cuối tuần", "test in the evenings and at weekends"),
    "action_more_samples": ("đo thêm {missing} mẫu", "{missing} more samples"),
    "campaign_class_quota_spread": ("Đủ mẫu, đo rộng khắp", "Quota met, widely measured"),
    "campaign_class_quota_concentrated": ("Đủ mẫu nhưng tập trung", "Quota met but concentrated"),
    "campaign_class_under_concentrated": ("Chưa đủ mẫu, lại tập trung", "Under quota and concentrated"),
    "campaign_class_under_spread": ("Chưa đủ mẫu", "Under quota"),
    "campaign_class_not_judged": ("Quá ít mẫu để đánh giá", "Too few samples to judge"),
    "verdict_no_samples": ("chưa có mẫu", "no samples"),
    "verdict_too_few": ("quá ít mẫu", "too few samples"),
    "verdict_spread": ("đo rộng khắp", "widely measured"),
    "verdict_few_devices": ("ít thiết bị", "few devices"),
    "verdict_narrow_area": ("tập trung một chỗ", "one place"),
    "verdict_office_hours": ("giờ hành chính", "office hours"),
    "col_devices": ("Số thiết bị", "Devices"),
    "col_top_device_share": ("Từ máy đo nhiều nhất (%)", "From the top device (%)"),
    "col_samples_per_device": ("Mẫu/thiết bị", "Samples per device"),
    "col_cells": ("Ô có mẫu / tổng ô", "Cells measured / cells"),
    "col_cells_with_samples": ("Ô có mẫu", "Cells measured"),
    "col_cells_total": ("Tổng số ô", "Cells"),
    "col_cell_pct": ("Diện tích có mẫu (%)", "Area measured (%)"),
    "col_office_hours_share": ("Trong giờ hành chính (%)", "In office hours (%)"),
    "col_campaign_verdict": ("Đánh giá chiến dịch đo", "Campaign verdict"),
    "col_campaign_action": ("Việc cần làm", "What to do"),
    "density_none": ("Chưa ai đo", "Nobody measured"),
    "density_legend": ("Mẫu/ô", "Samples per cell"),
    "weekday_mon": ("Thứ Hai", "Monday"),
    "weekday_tue": ("Thứ Ba", "Tuesday"),
    "weekday_wed": ("Thứ Tư", "Wednesday"),
    "weekday_thu": ("Thứ Năm", "Thursday"),
    "weekday_fri": ("Thứ Sáu", "Friday"),
    "weekday_sat": ("Thứ Bảy", "Saturday"),
    "weekday_sun": ("Chủ nhật", "Sunday"),
    "office_hours_box": ("giờ hành chính", "office hours"),
    "campaign_section": ("Ai đo, đo ở đâu, đo lúc nào", "Who measured, where and when"),
    "campaign_section_help": (
        "Đủ 300 mẫu từ vài máy ở trụ sở xã chưa phải là đã đo cả xã. Mỗi xã được đánh giá theo số thiết bị, phần "
        "diện tích có mẫu (ô lưới H3 khoảng 0,74 km²) và tỷ lệ mẫu trong giờ hành chính (quy tắc §20–§21).",
        "300 samples from a few phones at the commune office do not measure the commune. Each commune is judged by "
        "its devices, the share of its area measured (H3 cells of about 0.74 km²) and the share of samples in "
        "office hours (rules §20–§21).",
    ),
    "colour_by": ("Tô màu theo", "Colour by"),
    "colour_quota": ("Số mẫu so với chỉ tiêu", "Samples against the quota"),
    "colour_campaign": ("Chất lượng chiến dịch đo", "Campaign quality"),
    "campaign_map_title": ("Chất lượng chiến dịch đo, {month}", "Campaign quality, {month}"),
    "campaign_to_act": ("Xã cần làm gì", "What each commune should do"),
    "campaign_counts": (
        "{spread} xã đủ mẫu và đo rộng khắp · {concentrated} xã đủ mẫu nhưng tập trung · {under} xã chưa đủ mẫu",
        "{spread} communes met the quota, widely measured · {concentrated} met it but concentrated · "
        "{under} under quota",
    ),
    "density_title": (
        "Mẫu đo trên lưới ô (~{km2} km²/ô), {area}, {month}",
        "Samples on the grid (~{km2} km² a cell), {area}, {month}",
    ),
    "week_hours_title": ("Mẫu đo theo ngày trong tuần và giờ, {area}", "Samples by day of the week and hour, {area}"),
    "kpi_devices": ("Thiết bị đã đo", "Devices"),
    "kpi_top_device": ("Từ máy đo nhiều nhất", "From the top device"),
    "kpi_cells": ("Diện tích có mẫu", "Area measured"),
    "kpi_office": ("Trong giờ hành chính", "In office hours"),
    "kpi_unknown": ("không rõ", "unknown"),
    "campaign_more": ("Còn {n} xã nữa trong bảng tính.", "{n} more communes in the workbook."),
    "campaign_rule_note": (
        "Đánh dấu khi: dưới {min_devices} thiết bị hoặc một máy quá {top}% số mẫu; mẫu ở dưới {cells}% số ô lưới "
        "của xã; quá {office}% mẫu trong giờ hành chính (7:00–17:00, thứ Hai–thứ Sáu). Quy tắc §20–§21.",
        "Flagged when: fewer than {min_devices} devices or one device over {top}% of samples; samples in under "
        "{cells}% of the commune's grid cells; over {office}% of samples in office hours (07:00–17:00, "
        "Monday–Friday). Rules §20–§21.",
    ),
    "slide_campaign": ("Chất lượng chiến dịch đo", "Campaign quality"),
    "sheet_campaign": ("Chiến dịch đo", "Campaign"),
    "no_device_ids": (
        "Dữ liệu đo của lựa chọn này không có mã thiết bị: chưa thể biết số thiết bị đã đo.",
        "The measurements of this selection carry no device identifier: the number of devices cannot be told.",
    ),
    "no_locations": (
        "Không mẫu nào của lựa chọn này có toạ độ: chưa thể biết mẫu rải trong xã thế nào.",
        "No measurement of this selection has coordinates: their spread in the commune cannot be told.",
    ),
}


# plotly.js ships English only; a locale given in the chart's config replaces its words and formats.
PLOTLY_VI = {
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


_default = ["vi"]


def default_language() -> str:
    """The language of this process's messages when none is given (the command line sets it)."""
    return _default[0]


def set_default_language(lang: str) -> None:
    _default[0] = "en" if lang == "en" else "vi"


class Msg:
    """A text to be told later in a language not yet known (a value of another message, e.g. an action's name)."""

    def __init__(self, key: str, /, **values: object) -> None:
        self.key, self.values = key, values

    def render(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


class Told:
    """A text already told in both languages (a rejection reason kept in a file), told in the one asked for."""

    def __init__(self, vi: str, en: str) -> None:
        self.vi, self.en = vi, en

    def render(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


class MsgList:
    """Several texts told later, joined (a list of reasons, of missing fields)."""

    def __init__(self, items: list[Msg], sep: str = ", ") -> None:
        self.items, self.sep = items, sep

    def render(self, lang: str) -> str:
        return self.sep.join(item.render(lang) for item in self.items)


def t(key: str, lang: str = "vi", **values: object) -> str:
    """The text for key in lang, with {placeholders} filled (Msg values are told in the same language)."""
    vi, en = TEXT[key]
    text = en if lang == "en" else vi
    if not values:
        return text
    return text.format(**{k: v.render(lang) if isinstance(v, Msg | MsgList | Told) else v for k, v in values.items()})
