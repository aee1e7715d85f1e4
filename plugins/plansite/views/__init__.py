"""Views derived from the loaded data: the agenda, summaries, term over term, charts. Imports
only the input floor."""
