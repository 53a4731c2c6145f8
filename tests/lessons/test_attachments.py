"""Attachments: typed by content, stored under generated names, served through the policy."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.lessons import DEMO_PDF

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def upload(client, lesson, name, content, content_type="application/octet-stream"):
    return client.post(
        reverse("lessons:attachment_upload", args=[lesson.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_pdf_is_attached_under_a_generated_name_and_downloaded_by_readers(
    client, demo, write_lesson
):
    lesson = write_lesson(author=demo.member)
    client.force_login(demo.member)
    upload(client, lesson, "../../etc/report.pdf", DEMO_PDF)
    attachment = lesson.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "report.pdf"
    assert "report" not in attachment.file.name
    reader = type(client)()
    reader.force_login(demo.group_member)
    response = reader.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == DEMO_PDF


def test_type_comes_from_content_not_from_the_name(client, demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    client.force_login(demo.member)
    response = upload(client, lesson, "innocent.pdf", b"<html><script>alert(1)</script></html>")
    assert response.status_code == 302
    assert not lesson.attachments.exists()
    upload(client, lesson, "picture.pdf", PNG)  # a PNG called .pdf is kept as what it is
    assert lesson.attachments.get().content_type == "image/png"


def test_too_large_file_is_refused(client, demo, write_lesson, settings):
    settings.ATTACHMENT_MAX_MB = 1
    lesson = write_lesson(author=demo.member)
    client.force_login(demo.member)
    upload(client, lesson, "big.pdf", DEMO_PDF + b"0" * (1024 * 1024))
    assert not lesson.attachments.exists()


def test_outsider_download_is_404_and_non_author_cannot_attach(client, demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    client.force_login(demo.member)
    upload(client, lesson, "report.pdf", DEMO_PDF)
    attachment = lesson.attachments.get()
    client.force_login(demo.outsider)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert upload(client, lesson, "x.pdf", DEMO_PDF).status_code == 404
    client.force_login(demo.group_member)
    assert upload(client, lesson, "x.pdf", DEMO_PDF).status_code == 403
    assert lesson.attachments.count() == 1
    client.logout()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 302  # visitors are sent to sign in
