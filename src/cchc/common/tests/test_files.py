"""The pure rules of file downloads (``cchc.common.files``): no database, no request."""

import pytest

from cchc.common import files


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dossiers/2025/03/to-khai.pdf", "application/pdf"),
        ("dossiers/2025/03/ANH.JPG", "image/jpeg"),
        ("dossiers/2025/03/anh.jpeg", "image/jpeg"),
        ("dossiers/2025/03/anh.png", "image/png"),
        (
            "parindex/2026/bao-cao.DOCX",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "parindex/2026/bang.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("parindex/2026/cong-van.doc", "application/msword"),
        ("parindex/2026/bang.xls", "application/vnd.ms-excel"),
        ("parindex/2026/van-ban.odt", "application/vnd.oasis.opendocument.text"),
        ("parindex/2026/bang.ods", "application/vnd.oasis.opendocument.spreadsheet"),
        ("dossiers/2025/03/trang.html", "application/octet-stream"),
        ("dossiers/2025/03/khong-duoi", "application/octet-stream"),
    ],
)
def test_content_type_from_the_validated_extension(name, expected):
    assert files.content_type(name) == expected


def test_download_name_keeps_vietnamese_and_drops_unsafe_characters():
    name = files.download_name('Giấy "khai sinh"/bản sao\r\n', "x/y/scan_ab12.PDF", "H99-0001")
    assert name == "H99-0001 Giấy khai sinh bản sao.pdf"
    assert files.download_name("", "a.png") == "tep.png"
    assert len(files.download_name("Đ" * 500, "a.pdf")) == files.NAME_MAX + len(".pdf")


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    header = files.content_disposition("Tờ khai đăng ký.pdf")
    assert header == (
        'attachment; filename="To khai dang ky.pdf"; '
        "filename*=UTF-8''T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD.pdf"
    )
    assert header.isascii()


@pytest.mark.parametrize(
    ("mode", "prefix", "header", "value"),
    [
        ("x-accel-redirect", "/protected-media/", "X-Accel-Redirect", "/protected-media/d/"),
        ("x-sendfile", "/srv/media", "X-Sendfile", "/srv/media/d/"),
    ],
)
def test_offload_header(mode, prefix, header, value):
    assert files.offload_header(mode, prefix, "d/tờ.pdf") == (header, value + "t%E1%BB%9D.pdf")


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd", "a/../../b.pdf", "a\x00.pdf", ""])
def test_offload_refuses_names_outside_the_media_directory(name):
    assert not files.safe_stored_name(name)
    with pytest.raises(ValueError):
        files.offload_header("x-accel-redirect", "/protected-media/", name)


def test_offload_refuses_an_unknown_mode():
    with pytest.raises(ValueError):
        files.offload_header("x-litespeed", "/p/", "a.pdf")


@pytest.mark.parametrize(
    ("size", "text"), [(10 * 1024 * 1024, "10"), (51 * 1024 * 1024, "51"), (1572864, "1,5")]
)
def test_megabytes(size, text):
    assert files.megabytes(size) == text
