"""Where the rules come from: the legal text and the public sources that quote its appendix.

The appendix of Decision 766/QĐ-TTg is not readable through the project's sources beyond the
preamble, so every figure below is tied to the page that states it (domain reference
``index766.md``, §2). Figures no source states are *defaults*, marked as such in the rule set.
"""

# The decision itself (Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ).
DECISION_VN = (
    "https://thuviennhadat.vn/vbpl/quyet-dinh-766-qd-ttg-2022-bo-chi-so-danh-gia-chat-luong-"
    "phuc-vu-thu-tuc-hanh-chinh-dien-tu-518821.html"
)
DECISION_EN = (
    "https://english.luatvietnam.vn/decision-no-766-qd-ttg-approving-the-set-of-indicators-in-"
    "reference-to-the-direction-administration-and-as-223167-Doc1.html"
)
# Group maxima (18/20/22/22/18) and the official start of operation on 01/8/2022.
NAMDINH = (
    "https://sonoivu.namdinh.gov.vn/cai-cach-hanh-chinh/thu-tuong-chinh-phu-phe-duyet-bo-chi-so-"
    "chi-dao-dieu-hanh-va-danh-gia-chat-luong-phuc-vu-nguoi-dan-doanh-nghiep-trong-2373"
)
# Total 100; 1.2 = 4 points; on-time processing (2.1) "tối đa 20 điểm".
BAOCAOTAICHINH = (
    "https://baocaotaichinh.vn/thu-vien/quyet-dinh-766-qd-ttg-2022-phe-duyet-bo-chi-so-chi-dao-"
    "-dieu-hanh-va-danh-gia-chat-luong-phuc-vu-nguoi-dan--doanh-nghiep-2108502745-126270"
)
# Satisfaction in handling procedures (5.4) "tối đa 6/18 điểm"; PAKN satisfaction wording (5.3).
LAMDONG = (
    "https://www.lamdong.dcs.vn/tin-tuc-su-kien/thong-tin-tong-hop/task/148/type/detail/id/33503"
)
VIETJACK = "https://vietjack.me/phap-luat/quyet-dinh-766-qd-ttg-2271.html"
AITA = (
    "https://aita.gov.vn/thu-tuong-chinh-phu-ban-hanh-bo-chi-so-chi-dao-dieu-hanh-va-danh-gia-"
    "chat-luong-phuc-vu-nguoi-dan-doanh-nghiep-trong-thuc-hien-thu-tuc-hanh-chinh-dich-vu-cong-"
    "theo-thoi-gian-thuc-tren-moi-truong-dien-tu"
)
DINTE = "http://dinte.gov.vn/SitePages/BanTin.aspx/2826"
# The DVCQG dashboard's split of group 4 into online services and online payment.
BENCAT = (
    "https://bencat.binhduong.gov.vn/tin-tuc/bo-chi-so-766-tuan-03-nam-2024-binh-duong-tiep-tuc-"
    "duoc-xep-hang-0163-tinh-thanh-pho-22203"
)
# Ratings: "xuất sắc" from 90, "tốt" below (lowest xuất sắc-neighbour 83,61 rated tốt).
BAOLAMDONG = (
    "https://baolamdong.vn/xa-hoi/202407/14-don-vi-so-ban-nganh-co-chat-luong-phuc-vu-nguoi-dan-"
    "doanh-nghiep-xep-loai-xuat-sac-9931eb7"
)
# The Government Office's technical description of every formula (numbering 1.1–5.4, thresholds
# 80 % / 50 % / 90 %, deadlines). Not published on a government site; a public copy is summarised
# in the domain reference.
TECHNICAL_DOCUMENT = "VPCP, «Mô tả công thức tính chỉ số 766» (domain reference index766.md §2.3)"
