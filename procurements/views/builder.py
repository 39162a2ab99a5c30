"""The procurement builder: list, create, task list, sections, check your answers."""
