"""The fault drills' settings (scripts/faults.py): production's, except that one address may
sign in often. The drills' load signs officials in from 127.0.0.1 several times a second,
which allauth's per-address sign-in limit (30 a minute) would otherwise answer with 429s."""

from minilateral.settings import *  # noqa: F403
from minilateral.settings import ACCOUNT_RATE_LIMITS

ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "100000/m/ip"}
