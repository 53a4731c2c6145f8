"""The large world that `manage.py seed_scale` builds, for measuring the pages at scale.

This module holds the names the benchmark harness relies on: `seed_scale` creates these, and
`make bench` (bench/) finds its officials and its fixed discussions through the two functions
below, so neither guesses the other's data. The modules of this package build the world
(world.py runs them).
"""

# Lessons with exactly this many comments, for the lesson page at 20, 200 and 1,000 comments.
DISCUSSION_SIZES = (20, 200, 1000)

# Questions with exactly this many answers, for the question page at 20 and 200 answers.
QUESTION_SIZES = (20, 200)

# The officials the benchmark signs in: active members of the network (and of the home space)
# that holds the fixed discussions, so they see every comment.
BENCHMARK_OFFICIAL_COUNT = 16
BENCHMARK_EMAIL_DOMAIN = "scale.minilateral.test"


def benchmark_email(number):
    return f"benchmark.official{number:02d}@{BENCHMARK_EMAIL_DOMAIN}"


def discussion_title(size):
    return f"Scale fixture: a discussion of {size} comments"


def question_title(size):
    return f"Scale fixture: a question with {size} answers"


def benchmark_officials():
    from networks.models import User

    emails = [benchmark_email(number) for number in range(1, BENCHMARK_OFFICIAL_COUNT + 1)]
    return User.objects.filter(email__in=emails, is_active=True).order_by("email")


def discussion_lessons():
    """{size: Lesson} for the fixed discussions; empty when seed_scale has not run."""
    from lessons.models import Lesson

    by_title = {discussion_title(size): size for size in DISCUSSION_SIZES}
    return {by_title[lesson.title]: lesson for lesson in Lesson.objects.filter(title__in=by_title)}


def answered_questions():
    """{size: Question} for the fixed questions; empty when seed_scale has not run."""
    from questions.models import Question

    by_title = {question_title(size): size for size in QUESTION_SIZES}
    return {
        by_title[question.title]: question
        for question in Question.objects.filter(title__in=by_title)
    }
