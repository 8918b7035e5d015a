"""Versions and handovers: snapshots, comparisons, handover records and the PDF packet."""
