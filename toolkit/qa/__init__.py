"""Quality checks of every (source, English) pair and corpus summaries."""
