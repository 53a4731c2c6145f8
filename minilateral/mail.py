"""Email in the site's voice: rendered in its recipient's language, sent by the background worker.

`send_templated_email` renders `emails/<name>.subject.txt`, `.txt` and `.html` now, and hands the
result to the worker once the surrounding transaction commits: a rolled-back action sends nothing.
Every email is rendered in the `language` its caller names, the recipient's (for an official,
`User.email_language`), never in whatever language is active: that is the language of the
request of whoever caused the email.
"""

import email.policy

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


class _UnfoldedListHeaders(email.policy.EmailPolicy):
    """Python folds a header too long for a 78-character line into RFC 2047 encoded words,
    which a List-Unsubscribe URL must never be (RFC 2047, section 5; mail programs would not
    read it). The List-* headers are written on one line (RFC 5322 allows 998 characters);
    every other header and the bodies are folded as usual."""

    def _unfolded(self):
        return email.policy.EmailPolicy.clone(self, max_line_length=998)

    def fold(self, name, value):
        policy = self._unfolded() if name.lower().startswith("list-") else self
        return email.policy.EmailPolicy.fold(policy, name, value)

    def fold_binary(self, name, value):
        policy = self._unfolded() if name.lower().startswith("list-") else self
        return email.policy.EmailPolicy.fold_binary(policy, name, value)


class SiteEmail(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        message = super().message(policy=policy)
        message.policy = _UnfoldedListHeaders(**message.policy.__dict__)
        return message


@task()
def deliver_email(*, to, subject, text, html, headers=None):
    send_now(to=to, subject=subject, text=text, html=html, headers=headers)


def send_now(*, to, subject, text, html, headers=None):
    """Send a rendered email (`render_templated_email`'s parts) now, in this process."""
    message = SiteEmail(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def render_templated_email(*, to, template, context, language, headers=None):
    """The email's parts, ready for `deliver_email`: subject, plain text and HTML, all rendered
    in `language` (words, dates and numbers; lazy strings in `context` are evaluated then)."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}.subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return {"to": list(to), "subject": subject, "text": text, "html": html, "headers": headers}


def send_templated_email(*, to, template, context, language, headers=None):
    payload = render_templated_email(
        to=to, template=template, context=context, language=language, headers=headers
    )
    transaction.on_commit(lambda: deliver_email.enqueue(**payload))
