"""The worksheet page: fields, list items, comments, history, check-in and the diagram."""
