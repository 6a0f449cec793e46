"""The one exception a parse raises for a file it cannot read.

Its own module, so the child process (which runs isolated.py as __main__) and the modules it
imports raise and catch the same class.
"""


class ParseProblem(Exception):
    """The file cannot be read; the message says why, in words for the uploader."""
