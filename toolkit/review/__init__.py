"""Review: terminal and HTML side-by-side views, the workbench."""
