"""The load-run harness behind loadtest/run: platform lifecycle, tools, summary, charts, report."""
