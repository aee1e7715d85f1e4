"""The adapters: the MkDocs plugin and its options, the command line, plansite render and new, the
publish gate. The only floor that imports MkDocs."""
