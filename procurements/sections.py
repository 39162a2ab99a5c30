"""The procurement app's own builder sections (registered on import)."""
