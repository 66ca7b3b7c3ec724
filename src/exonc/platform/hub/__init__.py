"""The patient hub: her questionnaires, today's plan and her week, on one page."""
