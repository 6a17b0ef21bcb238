"""gradlab: release, validate and grade the "Gradients for Machine Learning" course on nbgrader."""

import sys

__version__ = "0.1.0"

# jsonschema, which nbformat and nbgrader import, builds the grammar of an optional URI format checker when
# imported: two seconds of every command, for a format no notebook schema uses. Without it, that checker is skipped.
sys.modules.setdefault("rfc3987_syntax", None)
