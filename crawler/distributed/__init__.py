"""Crawl and re-extraction jobs on Celery workers with a Redis broker, one archive.

`jobs` says what a job is (pure data, JSON on the wire) and where it waits, `sites`
which sites jobs can name, `schedules` when beat enqueues them, `app` the Celery
application and its delivery settings, `child` how a crawl job runs in a process of
its own, `tasks` the two tasks, `status` what the workers, the queues and the archive
say. The commands (`tinhuy worker`, `enqueue`, `beat`,
`status`) are in crawler/commands/.
"""
