// Training module.
