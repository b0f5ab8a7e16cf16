"""Ingest: raw report files → Report values (decode → extract → convert → clean → structure → metadata)."""
