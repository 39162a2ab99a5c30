"""The demo borough's procurements, loaded by `seed_demo_procurements`: their data (a module
each), the steps that make them (`building`, `flow`) and the list of them (`catalogue`)."""
