"""Reading and checking plan data: the YAML reader, the model, the loader and its checks, and the
Chinese date, slug and text helpers they share. Imports nothing of the floors above."""
