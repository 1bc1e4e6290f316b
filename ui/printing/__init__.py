"""Print preview and printing: the window half of issue 3 (the job itself is
``printing.jobs``, run through ``ui.operations.printing``)."""
