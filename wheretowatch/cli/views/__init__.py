"""What each feature shows: a Rich view and its --json document, side by side."""
