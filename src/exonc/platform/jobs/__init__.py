"""Background jobs people wait for: an import, an analysis, a report.

A job kind is a plain function registered with :func:`registry.job_kind`; a service submits
it with :func:`services.submit`; the task runner (Huey) runs it and records its progress on
a :class:`models.Job` row, which the progress page (``/jobs/<id>/``) shows.
"""
