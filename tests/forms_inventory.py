"""Which pages take a form's POST: the rows of the permission matrices whose POST does
something, the official's own account pages, and allauth's pages. The tampering and the
double-submission guards compare their rows with this list, so a new form cannot go unnoticed.
"""

from tests.lessons.test_permissions import MATRIX as LESSON_MATRIX
from tests.networks.test_permissions import MATRIX as NETWORK_MATRIX
from tests.questions.test_permissions import MATRIX as QUESTION_MATRIX
from tests.urls_sweep import all_urls

# The official's own pages (officials:*; no matrix: each is the signed-in official's own).
OFFICIALS_POST = {
    "officials:invitation_accept",
    "officials:profile_edit",
    "officials:deactivate",
    "officials:data_download",
    "officials:set_language",  # the language switcher, for visitors too
}
OFFICIALS_GET_ONLY = {"officials:account", "officials:profile", "officials:mfa_required"}

ALLAUTH_PREFIXES = ("account_", "mfa_", "usersessions_", "socialaccount_", "openid_connect_")


def _takes_post(post_statuses):
    return any(status != 405 for status in post_statuses[1:])  # [0] is the visitor's redirect


def post_urls():
    """The names of our own pages (lessons and its capabilities, networks, questions, officials)
    that take a POST."""
    names = {row[0] for row in LESSON_MATRIX if _takes_post(row[3])}
    names |= {row[0] for row in NETWORK_MATRIX if _takes_post(row[3])}
    names |= {row[0] for row in QUESTION_MATRIX if _takes_post(row[3])}
    return names | OFFICIALS_POST


def officials_urls():
    return {name for name, _ in all_urls() if name.startswith("officials:")}


def allauth_urls():
    return {name for name, _ in all_urls() if name.startswith(ALLAUTH_PREFIXES)}


# POST pages that create nothing a second submission could duplicate, and why.
NOT_CREATING = {
    # Decisions and state changes: the second finds the first one's state and is refused
    # with a message, or changes nothing.
    "lessons:edit": "an edit carries the version it began from: a repeat is an edit conflict",
    "lessons:publish": "publishing a published lesson is refused: only a draft can be",
    "lessons:withdraw": "withdrawing twice leaves one withdrawn lesson",
    "lessons:restore": "restoring twice leaves one restored lesson",
    "lessons:audience_decide": "a decided request is not decided again; the form carries a token",
    "lessons:attachment_delete": "the second finds no attachment: 404",
    "discussion:comment_edit": "the same text again is refused: nothing changed",
    "discussion:comment_delete": "deleting a deleted comment is refused",
    "discussion:follow": "following is a state, set twice to the same value",
    "notifications:read": "marking read is a state",
    "notifications:open": "marking one read is a state",
    "notifications:settings": "a preference per network, set to the same value",
    "notifications:unsubscribe": "a preference, set to the same value",
    "moderation:comment_act": "hide, restore and dismiss are decisions; the form carries a "
    "token, and a repeat is done once",
    "moderation:merge_tags": "the second finds no lesson with the merged tag: refused",
    "moderation:bulk": "each item is judged again: a repeat finds it decided and leaves it as is",
    "search:saved_search_delete": "the second finds nothing to delete: 404",
    "questions:edit": "an edit changes the one question, locked while it is saved: the same "
    "text again leaves it as it was",
    "questions:close": "closing a closed question is refused: it is already closed",
    "questions:withdraw": "withdrawing a withdrawn question is refused: still one withdrawn "
    "question",
    "questions:mute": "muting is a state, one row per question and country (a unique "
    "constraint), set twice to the same value",
    "questions:to_lesson": "the question is locked and links to its draft: a second is refused "
    "as already a lesson draft",
    "questions:answer_edit": "the same text again is refused: nothing changed",
    "questions:answer_helpful": "marking helpful is a state, set twice to the same value",
    "questions:answer_act": "hide, restore and dismiss are decisions: a repeat finds the "
    "answer already hidden, shown, or with no open flag, and is refused; the form carries a token",
    "networks:leave": "the second finds the official gone: a message",
    "networks:member_role": "the same role again is refused",
    "networks:member_suspend": "suspending the suspended is refused",
    "networks:member_reinstate": "reinstating the active is refused",
    "networks:member_remove": "removing the removed is refused",
    "networks:invitation_resend": "a resend a moment after another is refused",
    "networks:invitation_revoke": "revoking the revoked is refused",
    "networks:join_request_approve": "a decided request is not decided again",
    "networks:join_request_decline": "a decided request is not decided again",
    "networks:country_remove": "removing a removed country is refused",
    "networks:focal_point_remove": "the second finds no focal point: 404",
    "networks:group_edit": "the same name and purpose again: nothing changed",
    "networks:group_members": "the same members again: nothing changed",
    "networks:group_archive": "archiving the archived is refused",
    "networks:settings": "the same policies again: nothing changed",
    "officials:profile_edit": "the same profile again changes nothing",
    "officials:deactivate": "a closed account is signed out: the second is sent to sign in",
    "officials:data_download": "a download, not a record; each one is audited as asked",
    "officials:set_language": "a preference, set to the same value",
}
