"""The guide: pages generated from the rules files (see build_scripts/hooks/guide.py)."""
