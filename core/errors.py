"""Errors with a one-line reason meant for the person who ran the command."""


class UserError(Exception):
    """Bad input or a refused operation. The message names the file, row and column where known."""
