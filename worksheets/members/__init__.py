"""Projects and the people on them: dashboard, new project, members, invitations, account settings."""
