"""Cross-cutting pieces: imported by anything, importing nothing above them."""
