"""The table of `make bench`, its goals, and its "Results" section of docs/benchmarks.md."""

import math
import re
import statistics

RESULTS_HEADING = "## Results"

# The goals: throughput relative to the floor (the signed-in "hello" page) ...
FLOOR_GOALS = {
    "list": 0.40,
    "list_deep": 0.40,
    "home": 0.40,  # the official's home stays within the lesson list's bounds
    "lesson_20": 0.40,
    "public_lesson": 0.40,
    "lesson_200": 0.20,
    "insights": 0.40,  # within the lesson list's bounds
    "question_20": 0.40,  # the question page, as the lesson page at the same sizes
    "question_200": 0.20,
    # First views (nothing remembered): the lesson page over distinct lessons, search over
    # distinct queries, the list over its pages.
    "lesson_first": 0.30,
    "search_first": 0.20,
    "list_first": 0.35,
}
# First-view search's p95 within this many times the first-view list's.
FIRST_SEARCH_P95_GOAL = 3.0
# Busy: every page keeps this share of its quiet throughput while the writer runs.
BUSY_GOAL = 0.70
# The signed-in floor against the visitor's.
SIGNED_IN_GOAL = 0.60
# Pages measured on first views, beside the page measured again and again.
FIRST_VIEWS = {"lesson_first": "lesson_20", "search_first": "search", "list_first": "list"}
# ... each page's throughput at the largest size against the smallest ...
SCALE_GOAL = 0.80
# ... and the search page's p95 within this many times the lesson list's.
SEARCH_P95_GOAL = 2.0


def medians(rounds):
    """The median of each measure over the rounds of one page on one server."""
    keys = ("rps", "p50", "p95")
    summary = {key: statistics.median(r[key] for r in rounds) for key in keys}
    summary["requests"] = sum(r["requests"] for r in rounds)
    summary["failures"] = sum(r["failures"] for r in rounds)
    summary["rounds"] = len(rounds)
    return summary


def ratio(numerator, denominator):
    return numerator / denominator if denominator else float("nan")


def times(value):
    """A ratio for the table: two decimals, or n/a when there was nothing to divide by."""
    return "n/a" if math.isnan(value) else f"{value:.2f}"


def evaluate(sizes):
    """[(goal, measured, passed)] for the largest size (and largest against smallest)."""
    largest, smallest = sizes[-1], sizes[0]
    pages = largest["medians"]
    floor = pages["hello"]["rps"]
    goals = []
    for name, minimum in FLOOR_GOALS.items():
        if name not in pages:
            continue
        share = ratio(pages[name]["rps"], floor)
        goals.append(
            (
                f"{largest['pages'][name]['label']}: throughput at least {minimum:.0%} of the "
                f"floor's ({largest['label']})",
                "n/a" if math.isnan(share) else f"{share:.0%}",
                share >= minimum,
            )
        )
    if "search" in pages and "list" in pages:
        times = ratio(pages["search"]["p95"], pages["list"]["p95"])
        goals.append(
            (
                f"search p95 within x{SEARCH_P95_GOAL:g} of the lesson list's ({largest['label']})",
                f"x{times:.2f}",
                times <= SEARCH_P95_GOAL,
            )
        )
    if len(sizes) > 1 and floor:
        worst_name, worst = "hello", float("inf")
        for name, measured in pages.items():
            if name in smallest["medians"]:
                share = ratio(measured["rps"], smallest["medians"][name]["rps"])
                if share < worst:
                    worst_name, worst = name, share
        goals.append(
            (
                f"every page's throughput at {largest['label']} at least {SCALE_GOAL:g} of "
                f"that at {smallest['label']} (lowest: {largest['pages'][worst_name]['label']})",
                f"{worst:.2f}",
                worst >= SCALE_GOAL,
            )
        )
    goals += _first_view_goals(largest) + _busy_goals(largest)
    failures = sum(
        page["failures"]
        for size in sizes
        for measured in (size["medians"], size.get("busy", {}))
        for page in measured.values()
    )
    goals.append(("every request answered 200", f"{failures} other answers", failures == 0))
    return goals


def _first_view_goals(largest):
    pages, goals = largest["medians"], []
    if "search_first" in pages and "list_first" in pages:
        slower = ratio(pages["search_first"]["p95"], pages["list_first"]["p95"])
        goals.append(
            (
                f"first-view search p95 within x{FIRST_SEARCH_P95_GOAL:g} of the first-view "
                f"list's ({largest['label']})",
                f"x{slower:.2f}",
                slower <= FIRST_SEARCH_P95_GOAL,
            )
        )
    if "hello" in pages and "hello_visitor" in pages:
        share = ratio(pages["hello"]["rps"], pages["hello_visitor"]["rps"])
        goals.append(
            (
                f"the signed-in hello at least {SIGNED_IN_GOAL:g} of the visitor's "
                f"({largest['label']})",
                f"{share:.2f}",
                share >= SIGNED_IN_GOAL,
            )
        )
    return goals


def _busy_goals(largest):
    busy = largest.get("busy")
    if not busy:
        return []
    shares = {
        name: ratio(busy[name]["rps"], measured["rps"])
        for name, measured in largest["medians"].items()
        if name in busy
    }
    worst = min(shares, key=lambda name: shares[name])
    return [
        (
            f"busy: every page keeps at least {BUSY_GOAL:g} of its quiet throughput "
            f"({largest['label']}; lowest: {largest['pages'][worst]['label']})",
            f"{shares[worst]:.2f}",
            shares[worst] >= BUSY_GOAL,
        )
    ]


def side_by_side(size):
    """First views, repeated and busy, for the pages measured both ways."""
    busy = size.get("busy", {})
    lines = [
        "| page | repeated req/s | first views req/s | repeated p95 ms | first views p95 ms "
        "| busy repeated req/s | busy first views req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    pages = size["medians"]
    for first, repeated in FIRST_VIEWS.items():
        if first not in pages or repeated not in pages:
            continue

        def rps(name, measured):
            return f"{measured[name]['rps']:,.0f}" if name in measured else "n/a"

        lines.append(
            f"| {size['pages'][repeated]['label']} | {rps(repeated, pages)} | "
            f"{rps(first, pages)} | {pages[repeated]['p95']:.1f} | {pages[first]['p95']:.1f} | "
            f"{rps(repeated, busy)} | {rps(first, busy)} |"
        )
    return "\n".join(lines) if len(lines) > 2 else ""


def table(size, smallest=None):
    """The Markdown table of one server (one data size)."""
    floor = size["medians"]["hello"]["rps"]
    header = "| page | req/s | p50 ms | p95 ms | queries/req | bytes | x floor |"
    rule = "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    busy = size.get("busy")
    if busy:
        header += " busy req/s | busy p95 ms | busy x quiet |"
        rule += " ---: | ---: | ---: |"
    if smallest is not None:
        header += f" vs {smallest['label']} |"
        rule += " ---: |"
    lines = [header, rule]
    for name, measured in size["medians"].items():
        page = size["pages"][name]
        queries = page["queries"]
        queries_text = f"{queries:.0f}" if queries == page["queries_max"] else f"{queries:.1f}"
        row = (
            f"| {page['label']} | {measured['rps']:,.0f} | {measured['p50']:.1f} | "
            f"{measured['p95']:.1f} | {queries_text} | {page['bytes']:,} | "
            f"{times(ratio(measured['rps'], floor))} |"
        )
        if busy:
            loaded = busy.get(name)
            row += (
                f" {loaded['rps']:,.0f} | {loaded['p95']:.1f} | "
                f"{times(ratio(loaded['rps'], measured['rps']))} |"
                if loaded
                else " | | |"
            )
        if smallest is not None:
            before = smallest["medians"].get(name)
            row += f" {times(ratio(measured['rps'], before['rps']))} |" if before else " |"
        lines.append(row)
    return "\n".join(lines)


def section(run):
    """The whole "Results" section, in Markdown."""
    sizes = run["sizes"]
    lines = [
        RESULTS_HEADING,
        "",
        "Written by `make bench` (bench/run.py); each run replaces this section.",
        "",
        f"- Date: {run['date']}; commit `{run['commit']}`.",
        f"- Machine: {run['machine']}.",
        f"- Load: gunicorn, DEBUG off, {run['workers']} sync workers, persistent database "
        f"connections, {run['cache']}; wrk {run['wrk']} with {run['threads']} threads and "
        f"{run['connections']} connections, rotating URLs and {run['officials']} officials' "
        f"session cookies; {run['rounds']} interleaved round(s) of {run['seconds']:g} s per page "
        "and server, medians shown.",
        f"- Load average (1 min) before the run: {run['load_before']:.2f}; during it, highest "
        f"{run['load_highest']:.2f}.",
        "- queries/req and bytes: one request to each URL (or a sample of 12) through the whole "
        "middleware stack with DEBUG off, after a warm one; x floor: throughput against the "
        "signed-in hello page on the same server. First views: every remembered answer is "
        "forgotten before each run, and the URLs rotate over thousands of lessons, hundreds of "
        "searches and the list's pages. Busy: the same reads while bench/writer.py posts "
        "comments and edits lessons across all networks"
        + (f" at {run['write_rate']:g} writes a second." if run.get("write_rate") else "."),
    ]
    if run.get("note"):
        lines.append(f"- Note: {run['note']}")
    lines.append("")
    for index, size in enumerate(sizes):
        numbers = size["numbers"]
        lines += [
            f"### {size['label']} (database `{size['database']}`, {size['source']} data)",
            "",
            f"{numbers['lessons']:,} lessons, {numbers['published']:,} published, "
            f"{numbers['readable_in_network']:,} readable in the network measured "
            f"({numbers['pages_in_list']:,} list pages).",
            "",
            table(size, sizes[0] if index and len(sizes) > 1 else None),
            "",
        ]
        both = side_by_side(size)
        if both:
            lines += [both, ""]
        if size.get("writes"):
            writes = sum(w["writes"] for w in size["writes"])
            seconds = sum(w["seconds"] for w in size["writes"])
            failed = sum(w["failed"] for w in size["writes"])
            lines += [
                f"Busy rounds: the writer made {writes:,} writes (comments and lesson edits "
                f"across all networks) in {seconds:,.0f} s, {ratio(writes, seconds):.1f} a "
                f"second ({failed:,} refused).",
                "",
            ]
    search = sizes[-1]
    if "search" in search["medians"] and "list" in search["medians"]:
        pages = search["medians"]
        lines += [
            f"Search against the unfiltered lesson list on the same server ({search['label']}): "
            f"throughput x{ratio(pages['search']['rps'], pages['list']['rps']):.2f}, "
            f"p50 x{ratio(pages['search']['p50'], pages['list']['p50']):.2f}, "
            f"p95 x{ratio(pages['search']['p95'], pages['list']['p95']):.2f}. "
            f"Queries, rarest to most common (lessons with the word): "
            + ", ".join(
                f"`{query}` ({count:,})" if count is not None else f"`{query}`"
                for query, count in search["queries"]
            )
            + ".",
            "",
        ]
        first = search.get("first_time_search")
        if first:
            slower = ratio(first["search_p95"], first["list_ms"])
            lines += [
                "Searches, lesson lists and lesson pages are answered from memory once asked, "
                "until a write moves the generation of their space on (lessons/remembered.py, "
                "remembered counts and rankings), so under wrk they are mostly remembered. Asked "
                "for the first time instead (the generation moved on before each request), one "
                "request "
                f"at a time in one process: search p50 {first['search_p50']:.0f} ms, p95 "
                f"{first['search_p95']:.0f} ms; the lesson list's first page "
                f"{first['list_ms']:.0f} ms (remembered: {first.get('list_again_ms', 0):.0f} ms)"
                + (
                    f"; the {first['lesson_page']} {first['lesson_ms']:.0f} ms (remembered: "
                    f"{first['lesson_again_ms']:.0f} ms)"
                    if "lesson_ms" in first
                    else ""
                )
                + (
                    f"; the network's insights (a convenor's, never remembered) "
                    f"{first['insights_ms']:.0f} ms"
                    if "insights_ms" in first
                    else ""
                )
                + (f"; the official's home {first['home_ms']:.0f} ms" if "home_ms" in first else "")
                + (
                    f"; the {first['question_page']} {first['question_ms']:.0f} ms and the "
                    f"{first['question_busy_page']} {first['question_busy_ms']:.0f} ms (never "
                    "remembered)"
                    if "question_ms" in first
                    else ""
                )
                + f"; search's p95 x{slower:.1f} the list's.",
                "",
            ]
    lines += ["Goals:", ""]
    for goal, measured, passed in run["goals"]:
        lines.append(f"- {'PASS' if passed else 'FAIL'}: {goal}: {measured}.")
    return "\n".join(lines) + "\n"


def replace_results(text, new_section):
    """The document with its "Results" section (up to the next heading of the same level)
    replaced by new_section, or new_section added at the end; other sections untouched."""
    if not text.strip():
        return "# Benchmarks\n\n" + new_section
    match = re.search(rf"^{re.escape(RESULTS_HEADING)}[ \t]*$", text, flags=re.MULTILINE)
    if match is None:
        return text.rstrip("\n") + "\n\n" + new_section
    following = re.search(r"^## ", text[match.end() :], flags=re.MULTILINE)
    end = match.end() + following.start() if following else len(text)
    rest = text[end:]
    return text[: match.start()] + new_section + ("\n" + rest if rest else "")
