"""`make bench`'s own logic: where its results go, which databases it uses, how it judges goals.

The harness itself runs real servers under wrk for minutes and is not part of `make test`."""

from bench import report
from bench.run import parse_args, plan_sizes, with_database_name

OTHER_SECTIONS = """# Benchmarks

## Data

How seed_scale builds the world.

## Results

Old numbers.

### 1,000 lessons

| old | table |

## Hot spots

What was fixed.
"""


def test_results_replace_only_their_own_section():
    new = "## Results\n\nNew numbers.\n"
    text = report.replace_results(OTHER_SECTIONS, new)
    assert "Old numbers" not in text
    assert "| old | table |" not in text
    assert "New numbers." in text
    assert text.index("## Data") < text.index("## Results") < text.index("## Hot spots")
    assert "How seed_scale builds the world." in text
    assert "What was fixed." in text
    # Running again replaces the section again, and changes nothing else.
    assert report.replace_results(text, new) == text


def test_results_start_a_document_or_join_one_without_them():
    new = "## Results\n\nNumbers.\n"
    assert report.replace_results("", new) == "# Benchmarks\n\n" + new
    joined = report.replace_results("# Benchmarks\n\n## Data\n\nSeeds.\n", new)
    assert joined == "# Benchmarks\n\n## Data\n\nSeeds.\n\n" + new


def test_the_largest_size_is_minilateral_bench_and_each_other_size_has_its_own_database():
    base = "postgres://postgres@127.0.0.1:5432/minilateral"
    plan = plan_sizes(parse_args([]), base)
    assert [(label, size) for label, size, _url in plan] == [
        ("1,000 lessons", 1000),
        ("100,000 lessons", 100_000),
    ]
    assert [url.rsplit("/", 1)[1] for _label, _size, url in plan] == [
        "minilateral_bench_1000",
        "minilateral_bench",
    ]
    socket = "postgres://postgres@%2Ftmp%2Fpg/minilateral"
    assert with_database_name(socket, "other") == "postgres://postgres@%2Ftmp%2Fpg/other"
    quick = parse_args(["--quick"])
    assert (quick.current, quick.rounds) == (True, 1)
    assert plan_sizes(quick, base) == [("this database", None, base)]


def measured(rps, p95=10.0):
    return {"rps": rps, "p50": p95 / 2, "p95": p95, "requests": 100, "failures": 0, "rounds": 3}


def size(label, medians):
    return {
        "label": label,
        "medians": medians,
        "pages": {name: {"label": name} for name in medians},
    }


def test_goals_compare_with_the_floor_the_list_and_the_smaller_size():
    small = size(
        "1,000 lessons",
        {"hello": measured(1000), "list": measured(500), "search": measured(400, p95=15)},
    )
    large = size(
        "100,000 lessons",
        {
            "hello": measured(1000),
            "list": measured(450, p95=10),  # 45% of the floor; 0.9 of the small size's
            "lesson_200": measured(150),  # 15% of the floor: below the 20% goal
            "search": measured(300, p95=25),  # p95 x2.5 the list's; 0.75 of the small size's
        },
    )
    goals = {goal.split(":")[0]: passed for goal, _value, passed in report.evaluate([small, large])}
    assert goals["list"] is True
    assert goals["lesson_200"] is False
    assert goals["search p95 within x2 of the lesson list's (100,000 lessons)"] is False
    scale = next(g for g in goals if g.startswith("every page's throughput"))
    assert goals[scale] is False  # search at 0.75
    assert goals["every request answered 200"] is True
