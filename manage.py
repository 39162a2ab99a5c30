#!/usr/bin/env python
import os
import sys


def main() -> None:
    # An empty DJANGO_SETTINGS_MODULE counts as unset: fall back to the embedded default.
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE") or (
        "portal.settings.dev"
    )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
