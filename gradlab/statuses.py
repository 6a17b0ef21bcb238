"""What can become of a submission: the status every outcome row carries, in results, exports and reports."""

GRADED = "graded"    # scored; a failing or timed-out test cell scores zero in that cell alone
HELD = "held"        # scored, but flagged by the audit: kept out of feedback and exports until reviewed
MISSING = "missing"  # no notebook of the assignment in the submission
INVALID = "invalid"  # the file cannot be graded (not a notebook, no cells, solution cells gone)
FAILED = "failed"    # no score: the kernel died or the notebook outran its time limit

SCORED = (GRADED, HELD)
