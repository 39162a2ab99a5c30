"""Document status and download pages (documents work fills these in)."""
