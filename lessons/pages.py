"""What the capabilities add to the lesson page (minilateral/contributions.py).

The page is remembered in parts (lessons.views.lesson_detail): `shared` adds to what every
reader with the same view sees and is remembered with it (called only for readers inside the
home space); `marks` adds to what is this reader's own and remembered for them; `reader` adds
what is worked out for every request (forms)."""

from minilateral.contributions import Contributions

# (request, lesson) -> context of the remembered parts, for readers inside the home space.
shared = Contributions("lesson page, shared parts")
# (user, lesson, inside) -> the reader's own marks (e.g. whether they follow the discussion).
marks = Contributions("lesson page, reader's marks")
# (request, lesson) -> context rendered for each request (e.g. the comment form).
reader = Contributions("lesson page, per request")
