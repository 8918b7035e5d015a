"""The project file: one plain document of a whole project, its comparison and its import."""
