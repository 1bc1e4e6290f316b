"""Shared fixtures: a fresh, migrated and seeded database per test, on each engine."""

from __future__ import annotations

import pytest

from depot_app.actor import Actor, Role
from depot_app.database import Database
from depot_app.services import setup, users
from tests.dbutil import PostgresFactory, SqliteFactory, postgres_url

PASSWORD = "correct horse 1"
STAFF = {
    "clerk1": (Role.CLERK,), "warden1": (Role.WARDEN,), "medical1": (Role.MEDICAL,),
    "officer1": (Role.OFFICER,),
}


def seed(db: Database) -> None:
    """The depot, its administrator and one user per role: what first-run set-up leaves."""
    with db.write() as uow:
        setup.first_run(uow, setup.FirstRunRequest(
            "SMY", "Depot Imigresen Semenyih", "Selangor", "admin", "Aminah Yusof",
            PASSWORD, PASSWORD))
    admin = users.login(db, "admin", PASSWORD, "test-ws")
    with db.write() as uow:
        for name, roles in STAFF.items():
            users.add_user(uow, admin, users.NewUser(name, name.title(), roles, PASSWORD))


@pytest.fixture(scope="session")
def pg_factory():
    url, why = postgres_url()
    if url is None:
        yield None, why
        return
    factory = PostgresFactory(url)
    yield factory, ""
    factory.close()


@pytest.fixture(scope="session")
def templates(tmp_path_factory, pg_factory):
    """Migrated templates per engine: ``(empty, seeded)``."""
    out = {}
    folder = tmp_path_factory.mktemp("sqlite-templates")
    lite = SqliteFactory(folder)
    paths = []
    for seeded in (False, True):
        path, url = lite.create()
        db = Database(url)
        db.upgrade()
        if seeded:
            seed(db)
        db.dispose()
        paths.append(path)
    out["sqlite"] = (lite, paths)
    factory, _ = pg_factory
    if factory is not None:
        names = []
        for seeded in (False, True):
            name, url = factory.create()
            db = Database(url)
            db.upgrade()
            if seeded:
                seed(db)
            db.dispose()
            names.append(name)
        out["postgres"] = (factory, names)
    return out


def _fresh(request, templates, pg_factory, seeded: bool, tmp_path):
    engine = request.param
    if engine == "postgres":
        factory, why = pg_factory
        if factory is None:
            pytest.skip(why)
        _, names = templates["postgres"]
        name, url = factory.clone(names[int(seeded)])
        db = Database(url)
        yield db
        db.dispose()
        factory.drop_later(name)
    else:
        lite, paths = templates["sqlite"]
        path, url = SqliteFactory(tmp_path).create(template=paths[int(seeded)])
        db = Database(url)
        yield db
        db.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db(request, templates, pg_factory, tmp_path):
    """A migrated database with nothing in it (first-run set-up still to do)."""
    yield from _fresh(request, templates, pg_factory, False, tmp_path)


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, templates, pg_factory, tmp_path):
    """A migrated database with the depot, ``admin`` and one user per role."""
    yield from _fresh(request, templates, pg_factory, True, tmp_path)


@pytest.fixture
def login(db):
    def _login(username: str) -> Actor:
        return users.login(db, username, PASSWORD, "test-ws")
    return _login
