"""Document kinds of the award (registered from ``PartnersConfig.ready()``)."""
