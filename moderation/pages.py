"""What the layers above add to moderation's own pages (minilateral/contributions.py)."""

from minilateral.contributions import Contributions

# (request, network): a network's moderation queue, e.g. the flagged answers to questions.
workbench = Contributions("moderation workbench")
