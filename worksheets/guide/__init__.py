"""The guide inside a project: self-check, checklist, gap view, process tracker, budget calendar."""
