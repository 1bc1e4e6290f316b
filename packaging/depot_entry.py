"""Entry script for the frozen build (build.spec): the same `depot` command as the wheel's."""

from depot_app.cli.main import main

raise SystemExit(main())
