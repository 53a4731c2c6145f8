"""Cells of the CSV files the site offers for download."""


def safe_cell(value):
    """Text a spreadsheet will not run as a formula (CSV injection); numbers stay numbers."""
    if isinstance(value, int):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
