from questions import access
from questions.models import Question


def test_the_demo_world_has_answered_unanswered_and_chatham_house_questions(demo):
    answered = Question.objects.get(title__startswith="Has anyone moved their national ID app")
    assert answered.answers.filter(is_helpful=True).exists()
    waiting = Question.objects.get(title__startswith="Wallet certification labs")
    assert waiting.working_group is not None
    assert not waiting.answers.exists()
    chatham = Question.objects.get(title__startswith="Cloud exit clauses")
    assert chatham.attribution == "chatham"
    assert access.shown_asker(demo.outsider, chatham).label == "a member of Digital Nations"
    assert chatham in access.listed_questions(demo.outsider)
    assert waiting not in access.listed_questions(demo.member)
