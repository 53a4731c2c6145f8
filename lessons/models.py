# Lessons, comments, endorsements, flags, collections and briefs arrive with issues D to F.
