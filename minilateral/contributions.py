"""Contributions: what apps of a higher layer add to a page of a lower one.

A lower layer never imports a higher one (docs/architecture.md), yet some of its pages show
what the layers above know: a network's home shows its latest lessons, a lesson page its
discussion. The lower page declares a `Contributions` and merges what it returns into its
context; a higher app adds a contributor in its AppConfig.ready. Without that app, the page
simply shows less.
"""


class Contributions:
    """Functions of (request, *objects) returning a dict of context, merged in order."""

    def __init__(self, name):
        self.name = name
        self._contributors = []

    def add(self, contributor):
        if contributor not in self._contributors:
            self._contributors.append(contributor)
        return contributor

    def context(self, *args, **kwargs):
        merged = {}
        for contributor in self._contributors:
            merged.update(contributor(*args, **kwargs))
        return merged

    def __repr__(self):
        return f"<Contributions {self.name}: {len(self._contributors)}>"
