"""The demo borough's procurements, as data: what `seed_demo_procurements` builds."""
