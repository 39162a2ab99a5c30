"""Phase plan, stage participations, gates, instalments, purchase (issue: R&D stages)."""
