import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus

from tests.tasks import add


@pytest.mark.django_db(transaction=True)
def test_enqueued_task_is_run_by_the_database_worker():
    result = add.enqueue(left=2, right=3)
    assert result.status == TaskResultStatus.READY
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
