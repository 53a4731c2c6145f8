"""A lesson's attached files: uploaded and removed by those who may edit the lesson,
downloaded by its readers, served so that a browser never runs them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lessons import access, services
from lessons.forms import AttachmentForm
from networks.services import ActionRefused


def _manage_page(lesson):
    """Files are managed beside the lesson's edit form, not on its reading page."""
    return reverse("lessons:edit", args=[lesson.pk]) + "#attachments"


@require_POST
def attachment_upload(request, pk):
    lesson = access.get_lesson(request.user, pk)
    if not access.can_edit_lesson(request.user, lesson):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return redirect(_manage_page(lesson))
    try:
        services.attachment_add(
            acting_user=request.user, lesson=lesson, upload=form.cleaned_data["file"]
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The file is attached."))
    return redirect(_manage_page(lesson))


@require_POST
def attachment_delete(request, pk, attachment_id):
    lesson = access.get_lesson(request.user, pk)
    attachment = lesson.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    services.attachment_remove(acting_user=request.user, attachment=attachment)
    messages.success(request, _("The file is removed."))
    return redirect(_manage_page(lesson))


def _download(attachment):
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_not_required
@require_safe
def attachment_download(request, pk, attachment_id):
    """A reader's download; a visitor's too when the lesson is public (its public page lists
    the files), else the visitor is asked to sign in, as for every private page."""
    if request.user.is_authenticated:
        lesson = access.get_lesson(request.user, pk)
    else:
        lesson = access.public_lesson_or_none(pk)
        if lesson is None:
            return redirect_to_login(request.get_full_path())
    attachment = lesson.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return _download(attachment)
