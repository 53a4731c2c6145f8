"""A task for the tests of the task set-up itself."""

from django.tasks import task


@task()
def add(*, left, right):
    return left + right
