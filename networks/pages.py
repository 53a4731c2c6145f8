"""What the layers above add to networks' own pages (minilateral/contributions.py)."""

from minilateral.contributions import Contributions

# (request, network): the network's home, e.g. its featured and latest lessons.
network_home = Contributions("network home")
# (request, network, group): a working group's page, e.g. its lessons.
working_group_page = Contributions("working group page")
