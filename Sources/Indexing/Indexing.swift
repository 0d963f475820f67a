// Indexing module.
