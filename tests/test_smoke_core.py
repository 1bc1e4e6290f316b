from depot_app.services import dashboard, users


def test_seed_users_and_dashboard(db, login):
    admin = login("admin")
    with db.read() as uow:
        names = [u.username for u in users.list_users(uow, admin)]
        view = dashboard.dashboard(uow, admin)
    assert names == ["admin", "clerk1", "medical1", "officer1", "warden1"]
    assert view.in_custody == 0
