import pytest

from networks.models import Attribution
from questions import services


@pytest.fixture
def ask(demo):
    """Ask a question in Digital Nations (or one of its groups), as Lucía by default."""

    def ask(*, author=None, group=None, title="Has anyone moved ID cards to a wallet?", **fields):
        author = author or demo.member
        fields.setdefault("body", "We start next year. What broke, and what would you redo?")
        fields.setdefault("attribution", Attribution.CHATHAM)
        return services.question_ask(
            acting_user=author,
            network=group.network if group else demo.digital_nations,
            working_group=group,
            title=title,
            tags=["digital identity"],
            **fields,
        )

    return ask


@pytest.fixture
def group(demo):
    return demo.digital_nations.working_groups.get(slug="digital-identity")
