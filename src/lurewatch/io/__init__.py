"""Reading and writing batch files (JSONL, CSV, plain text) for every `--input` command."""
