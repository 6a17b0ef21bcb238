"""gradlab: release, validate and grade the "Gradients for Machine Learning" course on nbgrader."""

__version__ = "0.1.0"
