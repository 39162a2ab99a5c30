"""IP terms, background and foreground IP registers, licences, benefit share (issue: IP)."""
