"""Document kinds of the reduction (registered from ``PartnersConfig.ready()``)."""
