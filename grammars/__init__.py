"""Report grammars shipped with bcparse (YAML data; this file only makes the folder importable)."""
